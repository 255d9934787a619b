import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/processes";
import { eventually } from "../support/wait";

/**
 * The server processes' policy for errors nothing caught (core/telemetry/process-policy.ts), in a
 * real child process started as web, relay and jobs start: a lost query is logged and the process
 * keeps serving; an exception thrown out of a callback ends it, loudly, with status 1.
 */
async function startChild() {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/lost-query-process.ts"], {
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", REFUSING_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Record<string, unknown>[] = [];
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const port = await eventually(
    async () => lines.find((l) => typeof l.port === "number")?.port as number | undefined,
    30_000,
    "the child to listen",
  );
  return {
    child,
    lines,
    exited,
    get: (path: string) => fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.text()),
  };
}

describe("a server process and the errors nothing caught", () => {
  it("logs each lost query as an error and keeps serving", async () => {
    const p = await startChild();
    try {
      for (let i = 0; i < 3; i++) expect(await p.get("/lose-query")).toBe("serving");
      const lost = () => p.lines.filter((l) => l.level === "error" && String(l.msg).startsWith("unhandled rejection"));
      await eventually(async () => lost().length === 3, 20_000, "three lost queries logged");
      expect(JSON.stringify(lost()[0])).toContain("ECONNREFUSED");
      expect(await p.get("/")).toBe("serving");
      expect(p.child.exitCode).toBeNull();
    } finally {
      p.child.kill("SIGKILL");
    }
  });

  it("exits with status 1, saying why, when an exception escapes a callback", async () => {
    const p = await startChild();
    await p.get("/throw");
    expect(await p.exited).toBe(1);
    expect(p.lines.find((l) => l.level === "fatal")).toMatchObject({
      msg: "uncaught exception: the process cannot continue and exits",
      err: { message: "a callback failed half-way" },
    });
  });
});
