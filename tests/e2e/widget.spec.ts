import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { chromium, expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { speechPattern, writeWav } from "../support/wav";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

// The visitor's microphone: Chromium plays this file as its fake capture device. Silence, a
// question, silence while the answer starts, an interruption, then a long quiet.
const wav = resolve(".data/e2e-visitor.wav");
mkdirSync(".data", { recursive: true });
writeWav(
  wav,
  speechPattern([
    [1500, false],
    [1200, true],
    [4500, false],
    [1000, true],
    [40000, false],
  ]),
  16000,
);

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  },
});

const hostileCss = `* { font-size: 3px !important; color: transparent !important; letter-spacing: 9px !important; }
div, button, p, span { display: none !important; } button { pointer-events: none !important; }`;
let site: Server;
let sitePort = 0;
let snippet = "";

test.beforeAll(async () => {
  // A tenant's own website, on an origin of its own; the same page is also reachable as localhost (another origin).
  site = createServer((_req, res) =>
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<!doctype html><html><head><title>Salon</title><style>${hostileCss}</style></head>
      <body><div><h1>Salon Sam</h1><button>Book</button></div>${snippet}</body></html>`),
  );
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  sitePort = (site.address() as { port: number }).port;
});
test.afterAll(() => site.close());

test("a visitor on an allowed site talks to the agent in the browser, interrupts, hangs up; the call is in the portal", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Sam", company: "Salon Sam", password: "salon-sam-passphrase" });
  const agentId = await createAgent(page, {
    name: "Salon desk",
    prompt: "Answer questions about the salon.",
    firstMessage: "Hi!",
  });
  await page.getByRole("link", { name: "Website widget" }).click();
  await page.getByLabel(/Websites allowed to use it/).fill(`http://127.0.0.1:${sitePort}`);
  await page.getByLabel("Button label").fill("Ask Sam");
  await expect(page.getByTestId("widget-preview-button")).toHaveText("Ask Sam");
  await page.getByLabel("Greeting bubble (optional)").fill("Questions? Talk to us.");
  await page.getByRole("button", { name: "Save widget" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  snippet = (await page.getByTestId("widget-snippet").textContent())!;
  expect(snippet).toMatch(
    new RegExp(
      `^<script src="${e2e.edgeUrl.replaceAll(".", "\\.")}/widget\\.js" data-widget="pk_[a-z2-7]{24}" async></script>$`,
    ),
  );

  await fetch(`${e2e.voiceControl}/script`, {
    method: "POST",
    body: JSON.stringify(["What are your opening hours?", "Thanks, that's all."]),
  });
  const visitor = await browser.newPage();
  await visitor.goto(`http://127.0.0.1:${sitePort}/`);
  const widget = visitor.locator("bvrai-widget");
  await expect(visitor.getByText("Questions? Talk to us.")).toBeVisible();
  // The page's hostile CSS reaches neither the button's look nor its clicks.
  const open = visitor.getByRole("button", { name: "Ask Sam: start a voice call" });
  expect(
    await open.evaluate((b) => [
      getComputedStyle(b).fontSize,
      getComputedStyle(b).display,
      getComputedStyle(b).pointerEvents,
    ]),
  ).toEqual(["14px", "block", "auto"]);
  await open.click();
  await visitor.getByRole("button", { name: "Start call" }).click();
  await expect(widget).toHaveAttribute("data-state", /listening|speaking/);
  // The agent's audio arrives and plays: the widget counts the milliseconds it has played.
  await expect
    .poll(async () => Number(await widget.getAttribute("data-heard-ms")), { timeout: 20_000 })
    .toBeGreaterThan(2000);
  // The visitor asks, the answer starts, the visitor cuts in: the agent's turn is stored as interrupted.
  const turnsOf = async () => {
    const rows = await ownerQuery<{ id: string }>(e2e.ownerUrl, "select id from calls where agent_id = $1", [agentId]);
    return rows[0]
      ? ownerQuery<{ speaker: string; text: string; interrupted: boolean }>(
          e2e.ownerUrl,
          "select speaker, text, interrupted from call_turns where call_id = $1 order by seq",
          [rows[0].id],
        )
      : [];
  };
  await expect.poll(async () => (await turnsOf()).some((t) => t.interrupted), { timeout: 30_000 }).toBe(true);
  await visitor.getByRole("button", { name: "Mute" }).click();
  await expect(widget).toHaveAttribute("data-state", "muted");
  await visitor.getByRole("button", { name: "Unmute" }).click();
  await visitor.getByRole("button", { name: "Hang up" }).click();
  await expect(visitor.getByRole("status")).toHaveText("Call ended. Thanks for calling.");

  const [call] = await ownerQuery<{ id: string; status: string; end_reason: string; direction: string }>(
    e2e.ownerUrl,
    "select id, status, end_reason, direction from calls where agent_id = $1",
    [agentId],
  );
  expect(call).toMatchObject({ direction: "web" });
  await expect
    .poll(
      async () =>
        (await ownerQuery<{ status: string }>(e2e.ownerUrl, "select status from calls where id = $1", [call!.id]))[0]!
          .status,
    )
    .toBe("completed");
  const turns = await turnsOf();
  expect(turns[1]).toEqual({ speaker: "caller", text: "What are your opening hours?", interrupted: false });
  // The long answer was cut off by the visitor: only the sentences they heard are kept.
  expect(turns[2]).toEqual({ speaker: "agent", text: "We are open nine to five.", interrupted: true });

  // Billed like a phone call, by the second, once the jobs worker has it.
  await expect
    .poll(
      async () =>
        (await ownerQuery(e2e.ownerUrl, "select id from usage_records where call_id = $1", [call!.id])).length,
      { timeout: 30_000 },
    )
    .toBe(1);

  await page.goto("/calls");
  await expect(page.getByTestId("call-from").first()).toHaveText(`Web: http://127.0.0.1:${sitePort}`);
  await page.getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByText(`Web call from http://127.0.0.1:${sitePort}`)).toBeVisible();
  // In the transcript (the analysis summary, once it is done, quotes the caller too).
  await expect(page.getByTestId("turn-1")).toContainText("What are your opening hours?");
});

test("a page on an origin that is not allowed gets a clear refusal and starts no call", async ({ page, browser }) => {
  await signUp(page, { name: "Olga", company: "Olga Optics", password: "olga-optics-passphrase" });
  const agentId = await createAgent(page, { name: "Optics desk", prompt: "Answer questions.", firstMessage: "Hello!" });
  await page.goto(`/agents/${agentId}/widget`);
  await page.getByLabel(/Websites allowed to use it/).fill("https://www.olga-optics.example\nnot an origin");
  await page.getByRole("button", { name: "Save widget" }).click();
  await expect(page.getByText('"not an origin" is not an origin')).toBeVisible();
  await page.getByLabel(/Websites allowed to use it/).fill("https://www.olga-optics.example");
  await page.getByRole("button", { name: "Save widget" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  snippet = (await page.getByTestId("widget-snippet").textContent())!;

  const visitor = await browser.newPage();
  await visitor.goto(`http://localhost:${sitePort}/`);
  await visitor.getByRole("button", { name: /start a voice call/ }).click();
  await expect(visitor.getByRole("status")).toHaveText("This website is not allowed to use this widget.");
  expect(await ownerQuery(e2e.ownerUrl, "select id from calls where agent_id = $1", [agentId])).toEqual([]);
});

test("a visitor who refuses the microphone is told how to allow it, and no call starts", async ({ page }) => {
  await signUp(page, { name: "Mia", company: "Mia Music", password: "mia-music-passphrase" });
  const agentId = await createAgent(page, { name: "Music desk", prompt: "Answer questions.", firstMessage: "Hello!" });
  await page.goto(`/agents/${agentId}/widget`);
  await page.getByLabel(/Websites allowed to use it/).fill(`http://127.0.0.1:${sitePort}`);
  await page.getByLabel("Consent notice shown before a call (optional)").fill("Calls are recorded and transcribed.");
  await page.getByRole("button", { name: "Save widget" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  snippet = (await page.getByTestId("widget-snippet").textContent())!;

  // A browser of its own without the auto-accepting permission prompt: the request is refused.
  const strict = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream"],
  });
  try {
    const visitor = await (await strict.newContext()).newPage();
    await visitor.goto(`http://127.0.0.1:${sitePort}/`);
    await visitor.getByRole("button", { name: /start a voice call/ }).click();
    await expect(visitor.getByText("Calls are recorded and transcribed.")).toBeVisible();
    await visitor.getByRole("button", { name: "Agree and start call" }).click();
    await expect(visitor.getByRole("status")).toHaveText(/Microphone access was denied/);
    expect(await ownerQuery(e2e.ownerUrl, "select id from calls where agent_id = $1", [agentId])).toEqual([]);
  } finally {
    await strict.close();
  }
});

test("when the network drops mid-call the widget reconnects once by itself", async ({ page, browser }) => {
  await signUp(page, { name: "Nils", company: "Nils Nets", password: "nils-nets-passphrase" });
  const agentId = await createAgent(page, { name: "Net desk", prompt: "Answer questions.", firstMessage: "Hello!" });
  await page.goto(`/agents/${agentId}/widget`);
  await page.getByLabel(/Websites allowed to use it/).fill(`http://127.0.0.1:${sitePort}`);
  await page.getByRole("button", { name: "Save widget" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  snippet = (await page.getByTestId("widget-snippet").textContent())!;

  const visitor = await browser.newPage();
  await visitor.goto(`http://127.0.0.1:${sitePort}/`);
  await visitor.getByRole("button", { name: /start a voice call/ }).click();
  await visitor.getByRole("button", { name: "Start call" }).click();
  await expect(visitor.locator("bvrai-widget")).toHaveAttribute("data-state", /listening|speaking/);
  await fetch(`${e2e.voiceControl}/drop`, { method: "POST" });
  // A new session on a new call, and the visitor is talking again; the old call is closed.
  await expect
    .poll(async () => (await ownerQuery(e2e.ownerUrl, "select id from calls where agent_id = $1", [agentId])).length)
    .toBe(2);
  await expect(visitor.locator("bvrai-widget")).toHaveAttribute("data-state", /listening|speaking/);
  await expect
    .poll(async () =>
      (
        await ownerQuery<{ status: string }>(
          e2e.ownerUrl,
          "select status from calls where agent_id = $1 order by created_at",
          [agentId],
        )
      ).map((c) => c.status),
    )
    .toEqual(["completed", "in_progress"]);
  // A second drop in the same call is not retried: the visitor is told.
  await fetch(`${e2e.voiceControl}/drop`, { method: "POST" });
  await expect(visitor.getByRole("status")).toHaveText("The connection was lost. Please try again.");
});
