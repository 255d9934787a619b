import type { Env } from "./cli-config";
import { type Bvrai, unwrap } from "./client";

export class UsageError extends Error {
  override name = "UsageError";
}
/** A test run that did not pass: exit 1, for CI. */
export class TestsFailed extends Error {
  override name = "TestsFailed";
}
type Values = Record<string, string | boolean | undefined>;
export type CommandContext = {
  api: Bvrai;
  values: Values;
  arg: string | undefined;
  out: (line: string) => void;
  allCalls: (q: { from?: string; limit?: number }) => AsyncGenerator<{
    id: string;
    createdAt: string;
    direction: string;
    status: string;
    from: string | null;
    durationSeconds: number | null;
  }>;
  env: Env;
};

const need = (value: unknown, what: string) => {
  if (typeof value !== "string" || !value) throw new UsageError(`missing ${what}`);
  return value;
};
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (...cells: (string | number | null | undefined)[]) => cells.map((c) => String(c ?? "-")).join("\t");

/** One function per command; each prints plain, tab-separated lines a shell can cut and grep. */
export const commands: Record<string, (c: CommandContext) => Promise<void>> = {
  async "agents list"({ api, out }) {
    for (const a of unwrap(await api.GET("/agents")).data) out(row(a.id, a.name, a.model, `v${a.version}`));
  },
  async "agents create"({ api, values, out }) {
    const a = unwrap(
      await api.POST("/agents", {
        body: {
          name: need(values.name, "--name"),
          systemPrompt: need(values.prompt, "--prompt"),
          firstMessage: str(values["first-message"]) ?? "",
          ...(values.model ? { model: values.model as "gpt-4o-mini" } : {}),
        },
      }),
    );
    out(row(a.id, a.name, a.model, `v${a.version}`));
  },
  async "agents update"({ api, values, arg, out }) {
    const body = {
      name: str(values.name),
      systemPrompt: str(values.prompt),
      firstMessage: str(values["first-message"]),
      model: str(values.model) as "gpt-4o-mini" | undefined,
    };
    const a = unwrap(await api.PATCH("/agents/{id}", { params: { path: { id: need(arg, "agent id") } }, body }));
    out(row(a.id, a.name, a.model, `v${a.version}`));
  },
  async "calls list"({ values, out, allCalls }) {
    const limit = values.limit ? Number(values.limit) : 20;
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit is a whole number");
    let n = 0;
    for await (const c of allCalls({ from: str(values.from), limit: Math.min(limit, 100) })) {
      out(row(c.id, c.createdAt, c.direction, c.status, c.from, c.durationSeconds));
      if (++n >= limit) break;
    }
  },
  async "calls transcript"({ api, arg, out }) {
    const call = unwrap(await api.GET("/calls/{id}", { params: { path: { id: need(arg, "call id") } } }));
    for (const t of call.transcript)
      out(`${(t.offsetMs / 1000).toFixed(1).padStart(6)}s  ${t.speaker.padEnd(6)} ${t.text}`);
  },
  /** Follows a call as it happens: each new turn and status change, until it has ended. */
  async "calls tail"({ api, arg, out, env }) {
    const id = need(arg, "call id");
    const every = Number(env.BVRAI_TAIL_INTERVAL_MS ?? 1000);
    let seen = 0;
    let status = "";
    for (;;) {
      const call = unwrap(await api.GET("/calls/{id}", { params: { path: { id } } }));
      if (call.status !== status) {
        status = call.status;
        out(`status ${status}`);
      }
      for (const t of call.transcript.slice(seen)) out(`${t.speaker}: ${t.text}`);
      seen = call.transcript.length;
      if (call.status === "completed" || call.status === "failed") {
        out(`ended${call.endReason ? ` (${call.endReason})` : ""}, ${call.durationSeconds ?? 0} s`);
        return;
      }
      await sleep(every);
    }
  },
  /** Runs a test suite and waits for it: one line per case; fails (exit 1) unless every case passed. */
  async "test run"({ api, values, arg, out, env }) {
    const version = values.version === undefined ? undefined : Number(values.version);
    if (version !== undefined && (!Number.isInteger(version) || version < 1))
      throw new UsageError("--version is a whole number from 1");
    let run = unwrap(
      await api.POST("/suites/{id}/runs", {
        params: { path: { id: need(arg, "suite id") } },
        body: version ? { version } : {},
      }),
    );
    out(`run ${run.id} against version ${run.agentVersion}`);
    const every = Number(env.BVRAI_TAIL_INTERVAL_MS ?? 1000);
    while (run.status === "queued" || run.status === "running") {
      await sleep(every);
      run = unwrap(await api.GET("/runs/{id}", { params: { path: { id: run.id } } }));
    }
    for (const r of run.results) {
      out(row(r.status === "passed" ? "PASS" : r.status === "failed" ? "FAIL" : "ERROR", r.caseName));
      for (const c of r.checks.filter((x) => !x.passed)) out(`  ✗ ${c.detail}`);
      if (r.error) out(`  ✗ ${r.error}`);
    }
    out(`${run.passed} passed, ${run.failed} failed`);
    if (run.status !== "passed") throw new TestsFailed(`${run.failed} of ${run.passed + run.failed} cases failed`);
  },
  async "numbers search"({ api, values, out }) {
    const query = { country: str(values.country) ?? "US", kind: "local" as const, areaCode: str(values["area-code"]) };
    for (const n of unwrap(await api.GET("/numbers/available", { params: { query } })).data)
      out(row(n.e164, n.locality, n.region));
  },
  async "numbers buy"({ api, values, arg, out }) {
    const n = unwrap(
      await api.POST("/numbers", { body: { e164: need(arg, "number (+1…)"), agentId: str(values.agent) ?? "" } }),
    );
    out(row(n.id, n.e164, n.agentId));
  },
  async call({ api, values, out }) {
    const c = unwrap(
      await api.POST("/calls", {
        body: {
          fromNumberId: need(values["from-number"], "--from-number"),
          to: need(values.to, "--to"),
          agentId: need(values.agent, "--agent"),
        },
      }),
    );
    out(row(c.id, c.status));
  },
};
