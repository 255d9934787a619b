/**
 * What CI can check of a deploy without a network (`npm test` runs it): the edge bundles for every
 * environment (`wrangler deploy --dry-run`) within its size budget; each deployed environment's
 * settings, with stand-in secrets, pass the production config checks; fly.toml runs, checks and
 * scrapes every process; and the Docker build context holds what the Dockerfile copies, and
 * nothing secret.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parse } from "smol-toml";
import { loadEdgeConfig, loadJobsConfig, loadRelayConfig, loadWebConfig } from "../core/config";
import { secretNames } from "../core/config/schemas";
import { generatePiiKey } from "../core/crypto/pii";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const problems: string[] = [];
const check = (ok: unknown, problem: string) => ok || problems.push(problem);
const standIn = (name: string) =>
  name === "PII_ENCRYPTION_KEYS"
    ? generatePiiKey("ci")
    : `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, "");
const secrets = (names: readonly string[]) =>
  Object.fromEntries(
    ["DATABASE_URL", ...names].map((n) => [
      n,
      n === "DATABASE_URL" ? "postgres://bvrai_app@db.example:5432/bvrai" : standIn(n),
    ]),
  );
const attempt = (what: string, fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    problems.push(`${what}: ${(err as Error).message.split("\n").slice(0, 4).join(" ")}`);
  }
};

/** What every cold isolate parses (docs/decisions/0036): 1 MB as wrangler uploads it, 150 KB gzipped. */
const EDGE_BUDGET = { rawKiB: 1024, gzipKiB: 150 };

// The edge: each environment bundles within its budget, and its vars plus its secrets make a valid production config.
type WranglerEnv = { vars?: Record<string, string>; routes?: { pattern: string }[]; name?: string };
const wrangler = parse(readFileSync(join(root, "wrangler.toml"), "utf8")) as WranglerEnv & {
  env: Record<string, WranglerEnv>;
};
const bundles = mkdtempSync(join(tmpdir(), "bvrai-edge-"));
for (const env of ["dev", "staging", "production"]) {
  check(wrangler.env[env], `wrangler.toml has no [env.${env}]`);
  const out = execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--env", env, "--outdir", join(bundles, env)], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
  const [raw, gzip] = [Number(size?.[1]), Number(size?.[2])];
  check(size, `edge bundle (${env}): wrangler printed no "Total Upload: … KiB / gzip: … KiB"`);
  check(raw <= EDGE_BUDGET.rawKiB, `edge bundle (${env}) is ${raw} KiB, over its ${EDGE_BUDGET.rawKiB} KiB budget`);
  check(
    gzip <= EDGE_BUDGET.gzipKiB,
    `edge bundle (${env}) is ${gzip} KiB gzipped, over its ${EDGE_BUDGET.gzipKiB} KiB budget`,
  );
  console.log(
    `edge ${env}: ${raw} KiB (budget ${EDGE_BUDGET.rawKiB}), ${gzip} KiB gzipped (budget ${EDGE_BUDGET.gzipKiB})`,
  );
}
rmSync(bundles, { recursive: true, force: true });
for (const env of ["staging", "production"]) {
  const e = wrangler.env[env]!;
  check(e.routes?.length, `wrangler.toml [env.${env}] has no routes`);
  attempt(`edge ${env} config`, () =>
    loadEdgeConfig({
      ...e.vars,
      ...secrets(secretNames.edge),
      ...Object.fromEntries(
        ["STRIPE_SECRET_KEY", "EDGE_ORIGIN_SECRET", "UPSTASH_REDIS_REST_TOKEN"].map((n) => [n, standIn(n)]),
      ),
      UPSTASH_REDIS_REST_URL: "https://upstash.example",
    }),
  );
}

// Fly: three processes, each served, checked and scraped; release runs the migrations.
type FlyToml = {
  build?: { dockerfile?: string };
  deploy?: { release_command?: string };
  env: Record<string, string>;
  processes: Record<string, string>;
  services: { processes: string[]; internal_port: number; http_checks?: unknown[] }[];
  checks: Record<string, { processes: string[]; port: number }>;
  metrics: { processes: string[]; port: number }[];
};
const fly = parse(readFileSync(join(root, "fly.toml"), "utf8")) as unknown as FlyToml;
check(fly.deploy?.release_command === "npm run db:migrate", "fly.toml: the release command must run the migrations");
check(fly.build?.dockerfile && existsSync(join(root, fly.build.dockerfile)), "fly.toml: build.dockerfile is missing");
const opsPort = { web: 9101, relay: 9102, jobs: 9103 } as const;
for (const p of ["web", "relay", "jobs"] as const) {
  check(fly.processes[p] === `npm run start:${p}`, `fly.toml: process ${p} must run npm run start:${p}`);
  check(
    Object.values(fly.checks).some((c) => c.processes.includes(p) && c.port === opsPort[p]),
    `fly.toml: no check on ${p}'s ops port ${opsPort[p]}`,
  );
  check(
    fly.metrics.some((m) => m.processes.includes(p) && m.port === opsPort[p]),
    `fly.toml: ${p}'s metrics are not scraped from ${opsPort[p]}`,
  );
}
check(
  fly.services.some(
    (s) => s.processes.includes("web") && s.internal_port === Number(fly.env.PORT) && s.http_checks?.length,
  ),
  "fly.toml: web's service must match PORT and be checked",
);
check(
  fly.services.some(
    (s) => s.processes.includes("relay") && s.internal_port === Number(fly.env.RELAY_PORT) && s.http_checks?.length,
  ),
  "fly.toml: relay's service must match RELAY_PORT and be checked",
);
const flyEnv = {
  ...fly.env,
  RECORDINGS_S3_ACCESS_KEY_ID: "ci",
  RECORDINGS_S3_SECRET_ACCESS_KEY: standIn("S3"),
  EDGE_ORIGIN_SECRET: standIn("EDGE"),
  SMTP_URL: "smtp://mail.example",
};
attempt("web config (fly.toml [env] + secrets)", () => loadWebConfig({ ...flyEnv, ...secrets(secretNames.web) }));
attempt("relay config (fly.toml [env] + secrets)", () => loadRelayConfig({ ...flyEnv, ...secrets(secretNames.relay) }));
attempt("jobs config (fly.toml [env] + secrets)", () => loadJobsConfig({ ...flyEnv, ...secrets(secretNames.jobs) }));

// The Docker build context: what .dockerignore leaves of the repository.
const ignored = readFileSync(join(root, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/.*)?$`);
const patterns = ignored.map(glob);
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);
const context = files.filter((f) => existsSync(join(root, f)) && !patterns.some((re) => re.test(f)));
const bytes = context.reduce((n, f) => n + statSync(join(root, f)).size, 0);
console.log(`docker context: ${context.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
check(bytes < 50 * 1024 * 1024, "docker context over 50 MiB");
for (const f of context)
  check(
    !/(^|\/)(\.env(\..*)?|\.dev\.vars|.*\.pem|id_rsa)$/.test(f),
    `docker context holds a secret-looking file: ${f}`,
  );
for (const f of [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "remix.config.js",
  "vite.config.ts",
  "app/root.tsx",
  "app/server/main.ts",
  "media-relay/main.ts",
  "app/jobs/main.ts",
  "db/scripts/migrate.ts",
])
  check(context.includes(f), `docker context lacks ${f} (the Dockerfile builds or runs it)`);
// The image keeps these folders (Dockerfile's runtime stage): what they import must be among them.
const kept = ["app", "core", "db", "media-relay", "voice", "node_modules", "build"];
for (const f of context.filter(
  (f) => /^(app|core|db|media-relay|voice)\/.*\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f),
)) {
  for (const m of readFileSync(join(root, f), "utf8").matchAll(/from "(\.[^"]+)"/g)) {
    const top = relative(root, resolve(root, dirname(f), m[1]!)).split("/")[0]!;
    check(kept.includes(top) || top.includes("."), `${f} imports ${m[1]}, outside what the image keeps`);
  }
}
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
for (const dir of kept.filter((d) => d !== "node_modules"))
  check(dockerfile.includes(`/app/${dir} ./${dir}`), `Dockerfile does not keep ${dir}/`);

if (problems.length) {
  console.error(`deploy check failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log("deploy check: ok");
