import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { startTelemetry } from "../../core/telemetry";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../db/connection-errors";
import { buildAnsweringUnavailable } from "./unavailable";

const request = new Request("http://portal.test/agents", { headers: { "x-request-id": crypto.randomUUID() } });
const failingWith = (err: unknown) => async () => Promise.reject(err);
const thrownBy = async (p: unknown) => {
  try {
    await p;
  } catch (thrown) {
    return thrown;
  }
  throw new Error("nothing thrown");
};

const lines: string[] = [];
startTelemetry(
  "web",
  { NODE_ENV: "test", LOG_LEVEL: "warn" },
  { destination: { write: (line: string) => void lines.push(line) } },
);

const Page = () => null;
type Handlers = Record<string, (args: { request: Request }) => Promise<unknown>>;
const pageOf = (b: ServerBuild) => b.routes.page!.module as unknown as Handlers;

/** A server build as Remix hands it over: routes by id, each with its module. */
const build = (module: Record<string, unknown>) =>
  ({ mode: "production", routes: { page: { id: "page", path: "agents", module } } }) as unknown as ServerBuild;

describe("buildAnsweringUnavailable", () => {
  it("answers 503 with Retry-After from a loader or action that lost the database, whichever way pg says it", async () => {
    const lost = [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      new Error("Failed query: select 1", {
        cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      }),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
      Object.assign(new Error("connection failure"), { code: "08006" }),
    ];
    for (const err of lost) {
      const { loader, action } = pageOf(
        buildAnsweringUnavailable(build({ loader: failingWith(err), action: failingWith(err) })),
      );
      for (const handler of [loader!, action!]) {
        const answer = (await thrownBy(handler({ request }))) as Response;
        expect(answer).toBeInstanceOf(Response);
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      }
    }
  });

  it("leaves everything else as it was: answers, thrown responses, other errors, the page's component", async () => {
    const notFound = new Response("Agent not found", { status: 404 });
    const refused = Object.assign(new Error("invalid input syntax for type uuid"), { code: "22P02" });
    const module = pageOf(
      buildAnsweringUnavailable(
        build({
          default: Page,
          loader: async () => ({ ok: true }),
          action: failingWith(notFound),
          headers: { a: "b" },
        }),
      ),
    );
    expect(module.default).toBe(Page);
    expect(module.headers).toEqual({ a: "b" });
    expect(await module.loader!({ request })).toEqual({ ok: true });
    expect(await thrownBy(module.action!({ request }))).toBe(notFound);
    const bug = pageOf(buildAnsweringUnavailable(build({ loader: failingWith(refused) })));
    expect(await thrownBy(bug.loader!({ request }))).toBe(refused);
    expect(buildAnsweringUnavailable(build({ default: Page })).routes.page!.module).not.toHaveProperty("loader");
  });

  it("logs the outage once per request, however many of the page's loaders lost it", async () => {
    const lost = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    // A page's loaders (layout, page) each get a request of their own from Remix, with the same id.
    const loaders = [1, 2].map(() => pageOf(buildAnsweringUnavailable(build({ loader: failingWith(lost()) }))).loader!);
    const before = lines.length;
    const one = new Request("http://portal.test/agents/1", { headers: { "x-request-id": crypto.randomUUID() } });
    await Promise.allSettled(loaders.map((l) => l({ request: new Request(one) })));
    const logged = lines.slice(before).map((l) => JSON.parse(l) as { msg: string; path: string });
    expect(logged.filter((l) => l.msg === "database unavailable")).toEqual([
      expect.objectContaining({ path: "/agents/1" }),
    ]);
    const two = new Request("http://portal.test/agents/2", { headers: { "x-request-id": crypto.randomUUID() } });
    await Promise.allSettled(loaders.map((l) => l({ request: new Request(two) })));
    expect(lines.slice(before).filter((l) => l.includes('"database unavailable"'))).toHaveLength(2);
  });
});
