import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formLimits, readForm } from "./form-body.server";

const limit = { bytes: 1000, seconds: 5, label: "1000 bytes" };

/** A body handed out in `chunks`, counting what the reader pulled; `endless` never finishes. */
function source(chunks: Uint8Array[], opts: { endless?: boolean } = {}) {
  const seen = { pulled: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks[i++];
        if (next) {
          seen.pulled += next.byteLength;
          controller.enqueue(next);
        } else if (!opts.endless) controller.close();
        else return new Promise(() => {});
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  ); // pulled only when read, so `pulled` is what the reader asked for
  return { stream, seen };
}

const urlencoded = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
  new Request("http://portal.test/login", {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    duplex: "half",
  } as RequestInit);

async function refusal(p: Promise<unknown>) {
  const thrown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  return thrown as Response;
}

describe("reading a portal form", () => {
  it("reads a form under the limit, urlencoded or multipart", async () => {
    expect((await readForm(urlencoded("email=a%40example.com&password=x"), limit)).get("email")).toBe("a@example.com");
    const form = new FormData();
    form.set("intent", "upload");
    form.set("file", new File(["hello"], "notes.txt", { type: "text/plain" }));
    const read = await readForm(
      new Request("http://portal.test/k", { method: "POST", body: form }),
      formLimits.campaignCsv,
    );
    expect(await (read.get("file") as File).text()).toBe("hello");
  });

  it("refuses a declared Content-Length over the limit before reading a byte", async () => {
    const { stream, seen } = source([new Uint8Array(10)]);
    const res = await refusal(readForm(urlencoded(stream, { "content-length": "1001" }), limit));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("at most 1000 bytes");
    expect(seen.pulled).toBe(0);
  });

  it("counts the bytes when Content-Length lies, and stops at the limit", async () => {
    const { stream, seen } = source(Array.from({ length: 1000 }, () => new Uint8Array(100).fill(0x61)));
    const res = await refusal(readForm(urlencoded(stream, { "content-length": "10" }), limit));
    expect(res.status).toBe(413);
    expect(seen.pulled).toBeLessThanOrEqual(limit.bytes + 100);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses a body that never finishes once its time is up (408), and what is not a form (415, 400)", async () => {
    const { stream, seen } = source([new TextEncoder().encode("a=1")], { endless: true });
    expect((await refusal(readForm(urlencoded(stream), { ...limit, seconds: 0.2 }))).status).toBe(408);
    expect(seen.cancelled).toBe(true);
    expect(
      (
        await refusal(
          readForm(
            new Request("http://portal.test/x", {
              method: "POST",
              body: "{}",
              headers: { "content-type": "application/json" },
            }),
            limit,
          ),
        )
      ).status,
    ).toBe(415);
    const broken = new Request("http://portal.test/x", {
      method: "POST",
      body: "--x\r\nnonsense",
      headers: { "content-type": "multipart/form-data; boundary=y" },
    });
    expect((await refusal(readForm(broken, limit))).status).toBe(400);
    expect((await refusal(readForm(urlencoded("a=1", { "content-length": "ten" }), limit))).status).toBe(400);
  });

  it("for any chunking, with or without a (possibly wrong) Content-Length: the form when it fits, else 413", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 12 }),
        fc.option(fc.nat({ max: 3000 })),
        async (sizes, declared) => {
          // One field, k, whose value arrives in chunks of these sizes.
          const chunks = [new TextEncoder().encode("k="), ...sizes.map((n) => new Uint8Array(n).fill(0x61))];
          const total = chunks.reduce((a, c) => a + c.byteLength, 0);
          const { stream, seen } = source(chunks);
          const request = urlencoded(stream, declared === null ? {} : { "content-length": String(declared) });
          const outcome = await readForm(request, limit).then(
            (f) => f,
            (e: Response) => e.status,
          );
          if (total > limit.bytes || (declared ?? 0) > limit.bytes) expect(outcome).toBe(413);
          else expect(typeof outcome === "number" ? outcome : (outcome.get("k") as string).length + 2).toBe(total);
          expect(seen.pulled).toBeLessThanOrEqual(limit.bytes + 400);
        },
      ),
    );
  });
});

/** Every file of the portal that could read a request body (the API has its own cap: app/api/app.ts). */
async function portalSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(path.endsWith("/app/api") ? [] : await portalSources(path)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe("the portal's routes", () => {
  it("read forms only through readForm: no route buffers a body without a cap", async () => {
    const app = new URL("../", import.meta.url).pathname;
    const direct = /\.formData\(\)|\b(request|req|raw)\.(text|json|arrayBuffer|blob|body)\b/;
    // A streamed upload goes through the same caps (core/read-capped), parsed part by part.
    const capped = /cappedStream\((request|req|raw)\.body\b/;
    const offenders: string[] = [];
    for (const file of await portalSources(app)) {
      if (file.endsWith("form-body.server.ts")) continue;
      for (const [i, line] of (await readFile(file, "utf8")).split("\n").entries()) {
        if (direct.test(line) && !capped.test(line)) offenders.push(`${relative(app, file)}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
