import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { eventually } from "./wait";

/** A port nobody listens on now (for a process that must be told its port up front). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * One of the platform's Node processes as production runs it (`npm run start:relay`,
 * `start:jobs`), in a child process the test can kill with any signal.
 */
export function startService(entry: "media-relay/main.ts" | "app/jobs/main.ts", env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], {
    // One relay process unless a test asks for workers: the tests written before them kill "the relay" by its pid.
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      OPS_PORT: "0",
      RELAY_WORKERS: "1",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ? null : code)),
  );
  return {
    child,
    exited,
    kill: (signal: NodeJS.Signals = "SIGKILL") => {
      child.kill(signal);
      return exited;
    },
    /** Until `url` answers 200 (the process is up). */
    ready: (url: string) =>
      eventually(
        () =>
          fetch(url).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
        `${entry} to answer ${url}`,
      ),
  };
}
