import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { chromiumLaunch } from "../tests/support/chromium";

/**
 * `npm run screenshots`: the README's pictures, taken from a running sandbox the way a newcomer
 * sees it. Uses the platform at BVRAI_URL (or http://127.0.0.1:$WEB_PORT, 3000 by default) if it
 * answers; otherwise starts `npm run dev` itself and stops it afterwards. Signs up a fresh team,
 * creates an agent from a template, places a simulated phone call (`npm run call:simulate`), and
 * saves 1400×900 PNGs of Home, the agent editor, the call, Usage and Billing in docs/screenshots/.
 */
const base = process.env.BVRAI_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 3000}`;
const out = "docs/screenshots";
const say = (msg: string) => console.log(`[screenshots] ${msg}`);

const answers = () =>
  fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.ok,
    () => false,
  );

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 180_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function run(cmd: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")}: exit ${code}`))));
  });
}

let dev: ChildProcess | undefined;
if (!(await answers())) {
  say(`nothing answers at ${base}: starting npm run dev`);
  dev = spawn("node", ["--import", "tsx", "scripts/dev.ts"], { stdio: ["ignore", "inherit", "inherit"] });
  dev.once("exit", (code) => {
    console.error(`[screenshots] npm run dev exited (code ${code}); its output above says why`);
    process.exit(1);
  });
  await until("the portal to answer", answers, 300_000);
}

const browser = await chromium.launch(chromiumLaunch);
try {
  mkdirSync(out, { recursive: true });
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1400, height: 900 },
    colorScheme: "light",
  });
  const page = await context.newPage();
  const shot = async (name: string) => {
    await page.waitForLoadState("load");
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${out}/${name}.png` });
    say(`${out}/${name}.png`);
  };

  const email = `screenshots-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Maya Chen");
  await page.getByLabel("Company").fill("Bright Dental");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("bright-dental-passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByLabel("Verification code").fill(await codeFor(page, email));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("heading", { name: "Home", level: 1 }).waitFor();

  await page.goto("/agents/new?template=receptionist");
  await page.getByRole("button", { name: "Create agent" }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  const agentId = page.url().split("/").pop()!;
  await shot("agent-editor");

  say("placing a simulated call");
  await run("npx", ["tsx", "scripts/simulate-call.ts", agentId]);
  await page.goto("/calls");
  const callHref = await until("the call to be listed", async () => {
    await page.reload();
    return page
      .locator('a[href^="/calls/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href")).find((h): h is string => !!h && /^\/calls\/[0-9a-f-]{36}$/.test(h)),
      );
  });
  await page.goto(callHref);
  await shot("call");

  await page.goto("/home");
  await shot("home");
  await page.goto("/usage");
  await shot("usage");
  await page.goto("/settings/billing");
  await shot("billing");
} finally {
  await browser.close();
  if (dev) {
    dev.removeAllListeners("exit");
    dev.kill("SIGTERM");
    await new Promise((r) => dev!.once("exit", r));
  }
}

/** The newest verification code sent to `email`, from the sandbox mailbox page. */
async function codeFor(page: Page, email: string) {
  const mailbox = await page.context().newPage();
  const code = await until(
    "the verification email",
    async () => {
      await mailbox.goto("/dev/mailbox");
      const text = await mailbox
        .locator(`article[data-to="${email}"] pre`)
        .first()
        .textContent({ timeout: 1000 })
        .catch(() => null);
      return text ? /\b(\d{6})\b/.exec(text)?.[1] : undefined;
    },
    30_000,
  );
  await mailbox.close();
  return code;
}
