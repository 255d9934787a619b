import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { eventually } from "../support/wait";

/** `npm run dev`'s default ports: portal, edge, relay, WebSocket proxy, PGlite, and the three ops ports. */
export const devPorts = {
  web: 3000,
  edge: 8787,
  relay: 8788,
  proxy: 8789,
  pg: 54329,
  opsWeb: 9101,
  opsRelay: 9102,
  opsJobs: 9103,
};

/** What a newcomer's shell has: no DATABASE_URL, no secrets, no NODE_ENV, nothing npm test set. */
export function newcomerEnv(): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TERM", "TMPDIR"];
  return Object.fromEntries(
    keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]),
  ) as NodeJS.ProcessEnv;
}

export async function assertPortsFree() {
  for (const [name, port] of Object.entries(devPorts)) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer()
        .once("error", () => resolve(false))
        .listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (!free) throw new Error(`port ${port} (${name}) is in use: stop the other \`npm run dev\` (or e2e run) first`);
  }
}

/**
 * The checkout as a fresh clone after `npm ci` has it: its files (committed or not, never the
 * ignored ones, so no `.data`, no built widget), and its node_modules hard-linked without Vite's
 * dependency cache. Symlinked when hard links cannot cross to the temporary directory.
 */
export function freshCopy(root: string) {
  const dir = mkdtempSync(join(tmpdir(), "bvrai-newcomer-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root })
    .toString()
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    const from = join(root, f);
    if (!existsSync(from) || !statSync(from).isFile()) continue; // deleted, or a submodule
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(from, join(dir, f));
  }
  if (spawnSync("cp", ["-al", join(root, "node_modules"), join(dir, "node_modules")]).status === 0)
    rmSync(join(dir, "node_modules/.vite"), { recursive: true, force: true });
  else symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/**
 * `npm run dev` in `dir`, in a process group of its own (stopped as Ctrl-C stops it), its output
 * kept in `logFile` and in memory for the checks.
 */
export function startDev(dir: string, logFile: string) {
  const child: ChildProcess = spawn("npm", ["run", "dev"], {
    cwd: dir,
    env: newcomerEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = "";
  const take = (d: Buffer) => {
    log.write(d);
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {}
  };
  // Whatever ends this process, the platform does not outlive it.
  process.on("exit", () => group("SIGKILL"));
  return {
    lines,
    exited,
    /** True if the platform went away before it was told to stop. */
    died: () => !stopping && (child.exitCode !== null || child.signalCode !== null),
    /** Ctrl-C: npm itself exits at once, the platform stops in order; waits for every process of the group. */
    async stop() {
      stopping = true;
      group("SIGINT");
      const code = await exited;
      const gone = () => {
        try {
          process.kill(-child.pid!, 0);
          return false;
        } catch {
          return true;
        }
      };
      await eventually(async () => gone(), 30_000, "the platform to stop").catch(() => group("SIGKILL"));
      log.end();
      return code;
    },
  };
}

/** `npm run call:simulate -- <agent id>` as the README says, in the copy. */
export function simulateCall(dir: string, agentId: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("npm", ["run", "call:simulate", "--", agentId], {
      cwd: dir,
      env: newcomerEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The lines of the platform's output that say something went wrong on the server side. */
export function serverProblems(lines: string[]) {
  return lines.filter(
    (l) =>
      /"level":"(error|fatal)"/.test(l) ||
      /"status":5\d\d\b/.test(l) ||
      /\[bvrai\].*exited/.test(l) ||
      /^\s*(Error|TypeError|RangeError|ReferenceError)\b|Unhandled|triggerUncaughtException/.test(l),
  );
}
