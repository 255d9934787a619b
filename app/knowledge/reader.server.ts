import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import { DocumentError, type DocumentKind } from "./extract.server";
import type { ReaderAnswer } from "./reader-process";

/**
 * What one document may cost to read: wall-clock seconds from the moment the reader has it, and
 * the reader's memory (the OS's data limit: heap, buffers and every decompressed stream, so a
 * deflate bomb stops at it). See docs/decisions/0026.
 */
export type ReadBudget = { seconds: number; memoryMb: number };
export const DEFAULT_READ_BUDGET: ReadBudget = { seconds: 60, memoryMb: 512 };
/** Starting the reader (Node and its TypeScript loader) is our cost, not the document's: a failure here is retried. */
const START_SECONDS = 60;

const log = fieldLogger(serviceLogger("jobs"));
const entry = fileURLToPath(new URL("./reader-process.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p));
if (!prlimit)
  log({ level: "warn", msg: "prlimit not found: the document reader's memory is capped only for its JavaScript heap" });

let line: Promise<unknown> = Promise.resolve();

/**
 * Reads a document in a process of its own, one at a time per jobs process, within `budget`.
 * Rejects with a DocumentError when the document is at fault (shown to the tenant; retrying
 * would not help), with another error when the reader could not run (the job is retried).
 */
export function readDocument(
  name: string,
  bytes: Uint8Array,
  budget = DEFAULT_READ_BUDGET,
): Promise<{ kind: DocumentKind; text: string }> {
  const turn = line.then(() => readInChild(name, bytes, budget));
  line = turn.catch(() => {});
  return turn;
}

function spawnReader(budget: ReadBudget): ChildProcess {
  const node = [process.execPath, "--import", tsx, `--max-old-space-size=${Math.floor(budget.memoryMb / 2)}`, entry];
  // The CPU limit ends a runaway reader even if this process dies before it can kill it.
  const limits = prlimit
    ? [prlimit, `--data=${budget.memoryMb * 1024 * 1024}`, `--cpu=${START_SECONDS + 2 * budget.seconds}`]
    : [];
  const [command, ...args] = [...limits, ...node];
  // No secrets in its environment: it parses hostile input.
  return spawn(command!, args, {
    env: { PATH: process.env.PATH ?? "", NODE_ENV: process.env.NODE_ENV ?? "production" },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "advanced",
  });
}

function readInChild(name: string, bytes: Uint8Array, budget: ReadBudget) {
  return new Promise<{ kind: DocumentKind; text: string }>((resolve, reject) => {
    const child = spawnReader(budget);
    let reading = false;
    let settled = false;
    let stderr = "";
    const finish = (outcome: { text: string; kind: DocumentKind } | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const tooSlow = () =>
      new DocumentError(
        `${name} took longer than ${budget.seconds} seconds to read; split it or save it again (for example with "Print to PDF") and upload that`,
      );
    const tooBig = () =>
      new DocumentError(
        `${name} needs more than ${budget.memoryMb} MB of memory to read (it expands far beyond its size); upload a simpler version`,
      );
    let timer = setTimeout(
      () => finish(new Error(`the document reader did not start within ${START_SECONDS} s`)),
      START_SECONDS * 1000,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    child.stderr?.on("error", () => {});
    child.on("error", (err) => finish(new Error(`the document reader could not run: ${err.message}`)));
    child.on("message", (message: { ready: true } | ReaderAnswer) => {
      if ("ready" in message) {
        if (reading) return;
        reading = true;
        clearTimeout(timer);
        timer = setTimeout(() => finish(tooSlow()), budget.seconds * 1000);
        child.send(
          { name, bytes },
          (err) => err && finish(new Error(`the document reader did not take the document: ${err.message}`)),
        );
      } else if (message.ok) finish({ kind: message.kind, text: message.text });
      else finish(message.memory ? tooBig() : new DocumentError(message.reason));
    });
    child.on("exit", (code, signal) => {
      if (settled) return;
      if (!reading)
        return finish(new Error(`the document reader stopped before it started (${signal ?? code}): ${stderr.trim()}`));
      log({ level: "warn", msg: "document reader stopped", code, signal, stderr: stderr.slice(-500) });
      if (signal === "SIGXCPU") return finish(tooSlow());
      // A failed allocation under the data limit aborts V8 or crashes in native code (SIGSEGV, SIGBUS).
      if (
        signal === "SIGSEGV" ||
        signal === "SIGBUS" ||
        signal === "SIGABRT" ||
        signal === "SIGKILL" ||
        code === 134 ||
        /out of memory|allocation failed/i.test(stderr)
      )
        return finish(tooBig());
      finish(new DocumentError(`${name} could not be read (the reader stopped); save it again and upload that`));
    });
  });
}
