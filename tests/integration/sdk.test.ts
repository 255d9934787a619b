import { spawn } from "node:child_process";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { runSuite } from "../../app/testing/run-suite.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { sandboxEmbedder } from "../../core/knowledge/embeddings";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createAgent } from "../../db/queries/agents";
import { createApiKey } from "../../db/queries/api-keys";
import { addTurn, answerCall, closeCall } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { createSuite } from "../../db/queries/test-suites";
import { main } from "../../sdk/cli";
import { allCalls, BvraiError, createBvrai, unwrap } from "../../sdk/client";
import { generatedTypes } from "../../sdk/generate";
import { sandboxProviders } from "../../voice/sandbox";
import { startTwilioFake } from "../fakes/twilio/api";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant } from "../support/seed";

let db: NodeDb;
let server: Server;
let baseUrl = "";
let twilioFake: Awaited<ReturnType<typeof startTwilioFake>>;
const pii = createPiiCipher({ keys: generatePiiKey("sdk"), blindIndexKey: "sdk-index" });
const actor = { userId: null, ip: null };
const main_ = { accountSid: `AC${crypto.randomUUID().replace(/-/g, "")}`, authToken: `main-${crypto.randomUUID()}` };
/** Requests as the API received them, and a number of 503s to answer first (a flaky network). */
const received: { method: string; path: string; key: string | null }[] = [];
let failNext = 0;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  twilioFake = await startTwilioFake(main_);
  const telephony = telephonyFrom(
    {
      TWILIO_ACCOUNT_SID: main_.accountSid,
      TWILIO_AUTH_TOKEN: main_.authToken,
      TWILIO_API_URL: twilioFake.url,
      EDGE_PUBLIC_URL: "https://edge.bvrai.test",
    },
    db,
    pii,
  );
  const api = createApi(testApiServices(telephony));
  const listener = getRequestListener((request: Request) => {
    const url = new URL(request.url);
    received.push({ method: request.method, path: url.pathname, key: request.headers.get("idempotency-key") });
    if (failNext > 0 && request.method === "POST") {
      failNext--;
      return new Response(
        JSON.stringify({ error: { code: "SERVICE_UNAVAILABLE", message: "try again", requestId: "r" } }),
        { status: 503, headers: { "retry-after": "0" } },
      );
    }
    return api.fetch(new Request(new URL(url.pathname.replace(/^\/api\/v1/, "") + url.search, url), request));
  });
  server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  server?.close();
  await twilioFake?.stop();
  await db?.$pool.end();
});

async function tenantKey() {
  const t = await seedTenant(inject("ownerUrl"));
  const { key } = await createApiKey(db, {
    tenantId: t.tenantId,
    name: "sdk",
    scopes: ["agents:read", "agents:write", "calls:read", "calls:write", "numbers:read", "numbers:write"],
    actor,
  });
  return { ...t, key };
}
/** A finished call with a two-line transcript. */
async function endedCall(t: { tenantId: string; agentId: string; number: string }, from = "+14155550199") {
  const r = await routeInboundCall(db, pii, {
    to: t.number,
    from,
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (r.kind !== "connect") throw new Error(r.kind);
  await answerCall(db, { tenantId: t.tenantId, callId: r.callId, agentId: t.agentId });
  await addTurn(db, {
    tenantId: t.tenantId,
    callId: r.callId,
    seq: 1,
    speaker: "agent",
    text: "Hello, thanks for calling Acme.",
    offsetMs: 0,
  });
  await addTurn(db, {
    tenantId: t.tenantId,
    callId: r.callId,
    seq: 2,
    speaker: "caller",
    text: "I'd like a table for two.",
    offsetMs: 2100,
  });
  await closeCall(db, { tenantId: t.tenantId, callId: r.callId, reason: "caller_hung_up" });
  return r.callId;
}

describe("the TypeScript SDK", () => {
  it("is typed from the API's own OpenAPI document: the committed types are current", async () => {
    const { types } = await generatedTypes();
    expect(await readFile(new URL("../../sdk/schema.d.ts", import.meta.url), "utf8"), "run npm run sdk:generate").toBe(
      types,
    );
  });

  it("retries a failed POST with the same Idempotency-Key, so one agent is made; errors come back in the API's shape", async () => {
    const t = await tenantKey();
    const client = createBvrai({ apiKey: t.key, baseUrl, baseDelayMs: 1 });
    failNext = 2;
    const before = received.length;
    const agent = unwrap(
      await client.POST("/agents", { body: { name: "Night desk", systemPrompt: "Take messages." } }),
    );
    const posts = received.slice(before).filter((r) => r.method === "POST");
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.key)).size).toBe(1);
    expect(posts[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      unwrap(await client.GET("/agents"))
        .data.filter((a) => a.name === "Night desk")
        .map((a) => a.id),
    ).toEqual([agent.id]);
    const refused = await client.POST("/agents", { body: { name: "", systemPrompt: "x" } });
    expect(() => unwrap(refused)).toThrow(BvraiError);
    expect(() => unwrap(refused)).toThrow(/^name: /);
    expect(() => unwrap(refused)).toThrow(expect.objectContaining({ status: 400, code: "BAD_REQUEST" }));
  });

  it("pages through every call with the cursor", async () => {
    const t = await tenantKey();
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await endedCall(t));
    const client = createBvrai({ apiKey: t.key, baseUrl });
    const seen = [];
    for await (const c of allCalls(client, { limit: 3 })) seen.push(c.id);
    expect(seen.sort()).toEqual(ids.sort());
  });
});

describe("the bvrai CLI", () => {
  const run = async (args: string[], env: Record<string, string | undefined>) => {
    const lines: string[] = [];
    const code = await main(args, env, (l) => lines.push(l));
    return { code, text: lines.join("\n") };
  };

  it("logs in, manages agents, reads a transcript, follows a call, searches and buys a number, and exits non-zero on refusal", async () => {
    const t = await tenantKey();
    const env = { HOME: await mkdtemp(join(tmpdir(), "bvrai-cli-")) };
    expect((await run(["agents", "list"], env)).code).toBe(2);
    const wrong = await run(["login", "--key", `bv_live_${"a".repeat(40)}`, "--url", baseUrl], env);
    expect(wrong).toMatchObject({ code: 1, text: expect.stringMatching(/^error UNAUTHORIZED: /) });
    const login = await run(["login", "--key", t.key, "--url", baseUrl], env);
    expect(login.code).toBe(0);
    const file = join(env.HOME, ".config", "bvrai", "config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const created = await run(["agents", "create", "--name", "Booker", "--prompt", "Book tables."], env);
    expect(created.code).toBe(0);
    const agentId = created.text.split("\t")[0]!;
    expect((await run(["agents", "update", agentId, "--name", "Table booker"], env)).text).toMatch(
      /\tTable booker\tgpt-4o-mini\tv2$/,
    );
    expect((await run(["agents", "list"], env)).text).toContain(`${agentId}\tTable booker`);
    expect(await run(["agents", "update", agentId, "--model", "gpt-9"], env)).toMatchObject({
      code: 1,
      text: expect.stringContaining("error BAD_REQUEST"),
    });

    const callId = await endedCall(t, "+14155550142");
    expect((await run(["calls", "list", "--limit", "5"], env)).text).toContain(`${callId}\t`);
    const transcript = await run(["calls", "transcript", callId], env);
    expect(transcript.text).toBe(
      "   0.0s  agent  Hello, thanks for calling Acme.\n   2.1s  caller I'd like a table for two.",
    );
    const tail = await run(["calls", "tail", callId], { ...env, BVRAI_TAIL_INTERVAL_MS: "10" });
    expect(tail.text.split("\n")).toEqual([
      "status completed",
      "agent: Hello, thanks for calling Acme.",
      "caller: I'd like a table for two.",
      expect.stringMatching(/^ended \(caller_hung_up\), \d+ s$/),
    ]);

    const found = await run(["numbers", "search", "--area-code", "207"], env);
    const e164 = found.text.split("\n")[0]!.split("\t")[0]!;
    expect(e164).toMatch(/^\+1207\d{7}$/);
    expect((await run(["numbers", "buy", e164, "--agent", agentId], env)).text).toMatch(
      new RegExp(`\\t\\${e164}\\t${agentId}$`),
    );
    expect((await run(["calls", "frobnicate"], env)).code).toBe(2);
  });

  it("test run: waits for the suite, prints each case, and exits 1 unless every case passed (for CI)", async () => {
    const t = await tenantKey();
    const env = {
      HOME: await mkdtemp(join(tmpdir(), "bvrai-cli-")),
      BVRAI_API_KEY: t.key,
      BVRAI_API_URL: baseUrl,
      BVRAI_TAIL_INTERVAL_MS: "20",
    };
    const agent = await createAgent(db, {
      tenantId: t.tenantId,
      actor,
      name: "Echo",
      systemPrompt: "p",
      firstMessage: "Hi!",
      voice: "sandbox-alloy",
      model: "gpt-4o-mini",
    });
    const good = await createSuite(db, {
      tenantId: t.tenantId,
      agentId: agent.id,
      name: "good",
      cases: [
        {
          id: "a",
          name: "echoes",
          caller: { kind: "scripted", turns: ["hello"] },
          expectations: [{ type: "must_say", text: "You said: hello" }],
        },
      ],
    });
    const bad = await createSuite(db, {
      tenantId: t.tenantId,
      agentId: agent.id,
      name: "bad",
      cases: [
        {
          id: "b",
          name: "says goodbye",
          caller: { kind: "scripted", turns: ["hello"] },
          expectations: [{ type: "must_say", text: "goodbye" }],
        },
      ],
    });
    // The jobs process's part, here: run whatever the CLI queued (with the SANDBOX echo model as the agent's).
    const deps = {
      db,
      llmFor: async () => ({ llm: sandboxProviders.llm, sandbox: true }),
      embedderFor: async () => sandboxEmbedder,
    };
    const worker = async (cli: Promise<{ code: number; text: string }>) => {
      let done = false;
      void cli.finally(() => (done = true));
      while (!done) {
        // Taken off the queue first, so the jobs workers other test files run (with no model) leave it.
        const taken = await ownerQuery<{ runId: string }>(
          inject("ownerUrl"),
          "delete from pgboss.job where name = 'test.run' and data->>'tenantId' = $1 returning data->>'runId' as \"runId\"",
          [t.tenantId],
        );
        for (const r of taken) await runSuite(deps, { tenantId: t.tenantId, runId: r.runId });
        await new Promise((r) => setTimeout(r, 5));
      }
      return cli;
    };
    const passed = await worker(run(["test", "run", good!.id], env));
    expect(passed.code).toBe(0);
    expect(passed.text.split("\n").slice(1)).toEqual(["PASS\techoes", "1 passed, 0 failed"]);
    const failed = await worker(run(["test", "run", bad!.id, "--version", "1"], env));
    expect(failed.code).toBe(1);
    expect(failed.text.split("\n").slice(1)).toEqual([
      "FAIL\tsays goodbye",
      '  ✗ the agent never said "goodbye"',
      "0 passed, 1 failed",
      "tests failed: 1 of 1 cases failed",
    ]);
    expect((await run(["test", "run", bad!.id, "--version", "x"], env)).code).toBe(2);
    expect(await run(["test", "run", bad!.id, "--version", "7"], env)).toMatchObject({
      code: 1,
      text: expect.stringContaining("error NOT_FOUND"),
    });
  });

  it("runs as a program, with BVRAI_API_KEY instead of a saved login", async () => {
    const t = await tenantKey();
    const child = spawn("npx", ["tsx", "sdk/cli.ts", "agents", "list"], {
      env: {
        ...process.env,
        HOME: await mkdtemp(join(tmpdir(), "bvrai-cli-")),
        BVRAI_API_KEY: t.key,
        BVRAI_API_URL: baseUrl,
      },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(0);
    expect(out).toContain(`${t.agentId}\tReceptionist`);
  });
});
