/**
 * `npm run check:weight` (and `npm test`): builds the portal as `npm run build` does, prints each
 * page route's first-load JavaScript (gzipped) and fails when any is over budget, or when any
 * browser chunk carries a server-only library (zod, drizzle) (docs/decisions/0046). `--no-build` measures the build already in build/ (or in `--dir <client>`).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { type FileSize, firstLoadWeights, parseManifestScript, serverOnlyLibraries } from "./first-load-weight";

/** Every page's first load, in kB of 1000 bytes as Vite prints them. */
const FIRST_LOAD_BUDGET_GZIP_KB = 150;

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
const args = process.argv.slice(2);
const dirArg = args.indexOf("--dir");
const client = dirArg >= 0 ? resolve(args[dirArg + 1]!) : join(root, "build", "client");

if (!args.includes("--no-build") && dirArg < 0) {
  const started = performance.now();
  try {
    execFileSync("npx", ["remix", "vite:build"], { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    console.error(`${e.stdout ?? ""}${e.stderr ?? ""}`);
    throw new Error("the portal build failed");
  }
  console.log(`built the portal in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const assets = join(client, "assets");
const manifests = readdirSync(assets).filter((f) => /^manifest-[\w-]+\.js$/.test(f));
if (manifests.length !== 1) throw new Error(`${assets} holds ${manifests.length} Remix manifests, expected one`);
const manifest = parseManifestScript(readFileSync(join(assets, manifests[0]!), "utf8"));

const sizes = new Map<string, FileSize>();
const size = (file: string) => {
  let s = sizes.get(file);
  if (!s) {
    const bytes = readFileSync(join(client, file));
    s = { raw: bytes.length, gzip: gzipSync(bytes).length, blank: !bytes.toString("utf8").trim() };
    sizes.set(file, s);
  }
  return s;
};

const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const weights = firstLoadWeights(manifest, size);
const over = weights.filter((w) => w.gzip > FIRST_LOAD_BUDGET_GZIP_KB * 1000);
const width = Math.max(...weights.map((w) => w.url.length), 5);
const idWidth = Math.max(...weights.map((w) => w.id.length), 5);
console.log(`${"page".padEnd(width)}  ${"route".padEnd(idWidth)}  gzip kB    raw kB  files`);
for (const w of weights)
  console.log(
    `${w.url.padEnd(width)}  ${w.id.padEnd(idWidth)}  ${kB(w.gzip).padStart(7)}  ${kB(w.raw).padStart(8)}  ${String(w.files.length).padStart(5)}${w.gzip > FIRST_LOAD_BUDGET_GZIP_KB * 1000 ? "  OVER BUDGET" : ""}`,
  );
console.log(
  `${weights.length} pages; heaviest first load ${kB(weights[0]?.gzip ?? 0)} kB gzipped (budget ${FIRST_LOAD_BUDGET_GZIP_KB} kB)`,
);
const leaks = readdirSync(assets)
  .filter((f) => f.endsWith(".js"))
  .flatMap((f) =>
    serverOnlyLibraries(readFileSync(join(assets, f), "utf8")).map((lib) => `/assets/${f} carries ${lib}`),
  );
for (const leak of leaks) console.error(`server-only code in the browser: ${leak}`);
if (over.length || leaks.length) {
  for (const w of over) {
    const heaviest = [...w.files].sort((a, b) => size(b).gzip - size(a).gzip).slice(0, 3);
    console.error(
      `${w.id} loads ${kB(w.gzip)} kB gzipped, over the ${FIRST_LOAD_BUDGET_GZIP_KB} kB budget; heaviest: ${heaviest.map((f) => `${f} ${kB(size(f).gzip)} kB`).join(", ")}`,
    );
  }
  process.exit(1);
}
