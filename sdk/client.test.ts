import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "smol-toml";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./cli";
import { loadCliConfig } from "./cli-config";
import { BvraiConfigError, checkedBaseUrl, createBvrai, PUBLIC_API_URL } from "./client";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
/** A fetch that answers 200 to anything and remembers where it was sent. */
const recorder = () => {
  const sent: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    sent.push(new Request(input).url);
    return Response.json({ data: [] });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
};

afterEach(() => vi.restoreAllMocks());

describe("the API's public address", () => {
  it("is the host the production deployment serves, and the one the SDK, CLI, OpenAPI document and README name", async () => {
    const url = new URL(PUBLIC_API_URL);
    expect(url.protocol).toBe("https:");
    const wrangler = parse(read("wrangler.toml")) as { env: { production: { routes: { pattern: string }[] } } };
    expect(wrangler.env.production.routes.map((r) => r.pattern)).toContain(`${url.host}/*`);
    expect((parse(read("fly.toml")) as { env: { APP_URL: string } }).env.APP_URL).toBe(url.origin); // the portal's server, which serves /api/v1
    expect(JSON.parse(read("sdk/openapi.json")).servers[0].url).toBe(PUBLIC_API_URL);
    expect(read("README.md")).toContain(PUBLIC_API_URL);
    // No other address for the API anywhere a client or a reader would copy it from.
    const docs = [
      "README.md",
      ...readdirSync(join(root, "docs/decisions")).map((f) => `docs/decisions/${f}`),
      ...readdirSync(join(root, "sdk"))
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
        .map((f) => `sdk/${f}`),
    ];
    for (const file of docs) {
      for (const found of read(file).match(/https?:\/\/[^\s"'`)]+\/api\/v1/g) ?? [])
        expect(found, file).toBe(PUBLIC_API_URL);
    }
    const { fetch, sent } = recorder();
    await createBvrai({ apiKey: "k", fetch }).GET("/agents");
    expect(sent).toEqual([`${PUBLIC_API_URL}/agents`]);
    expect(await loadCliConfig({ HOME: "/nonexistent", BVRAI_API_KEY: "k" })).toEqual({
      apiKey: "k",
      baseUrl: PUBLIC_API_URL,
    });
  });
});

describe("the SDK and CLI never send a key in clear across a network", () => {
  const loopbacks = [
    "http://127.0.0.1:8080/api/v1",
    "http://127.1/api/v1",
    "http://0x7f.0.0.1/api/v1",
    "http://127.255.0.9/api/v1",
    "http://localhost:3000/api/v1",
    "http://[::1]:3000/api/v1",
  ];
  const refused = [
    "http://bvrai.app/api/v1",
    "http://localhost.evil.example/api/v1",
    "http://127.0.0.1.nip.io/api/v1",
    "http://10.0.0.5/api/v1",
    "http://[::ffff:7f00:1]/api/v1",
    "http://0.0.0.0/api/v1",
    "ftp://bvrai.app/api/v1",
    "https://user:pw@bvrai.app/api/v1",
    "not a url",
    "//bvrai.app/api/v1",
  ];

  it("takes https anywhere and plain http only to this machine", () => {
    for (const url of loopbacks) expect(() => checkedBaseUrl(url), url).not.toThrow();
    for (const url of refused) expect(() => checkedBaseUrl(url), url).toThrow(BvraiConfigError);
    fc.assert(
      fc.property(fc.domain(), (host) => {
        expect(checkedBaseUrl(`https://${host}/api/v1`)).toBe(`https://${host.toLowerCase()}/api/v1`);
        if (host.toLowerCase() !== "localhost")
          expect(() => checkedBaseUrl(`http://${host}/api/v1`)).toThrow(/use https/);
      }),
    );
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        if (ip.startsWith("127.")) expect(() => checkedBaseUrl(`http://${ip}/`)).not.toThrow();
        else expect(() => checkedBaseUrl(`http://${ip}/`)).toThrow(/use https/);
      }),
    );
  });

  it("refuses before any request: the client throws, and the CLI exits 2 saying why", async () => {
    const { fetch, sent } = recorder();
    expect(() => createBvrai({ apiKey: "k", baseUrl: "http://api.example.com/api/v1", fetch })).toThrow(
      /Refusing to send an API key to http:\/\/api\.example\.com/,
    );
    const spy = vi.spyOn(globalThis, "fetch");
    const lines: string[] = [];
    const home = { HOME: "/nonexistent" };
    expect(
      await main(["login", "--key", "bv_live_x", "--url", "http://api.example.com/api/v1"], home, (l) => lines.push(l)),
    ).toBe(2);
    expect(
      await main(
        ["agents", "list"],
        { ...home, BVRAI_API_KEY: "bv_live_x", BVRAI_API_URL: "http://api.example.com/api/v1" },
        (l) => lines.push(l),
      ),
    ).toBe(2);
    expect(lines.every((l) => l.startsWith("Refusing to send an API key"))).toBe(true);
    expect(spy).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it("follows no redirect with the key", async () => {
    const fetch = (async (input: RequestInfo | URL) => {
      const req = new Request(input);
      // What a redirect-following fetch would do is the platform's; the SDK asks it to refuse.
      expect(req.redirect).toBe("error");
      return Response.json({ data: [] });
    }) as typeof globalThis.fetch;
    await createBvrai({ apiKey: "k", fetch }).GET("/agents");
  });
});
