import fc from "fast-check";

/**
 * Malformed and hostile HTTP for the fuzz suite (tests/integration/fuzz-http.test.ts): request
 * targets, methods, headers and bodies as an attacker or a broken client sends them. Request
 * lines and headers stay parseable (no CR/LF inside), so each request reaches the application;
 * a few generators break the syntax on purpose, which the server must answer with a 4xx or close.
 */
const uuid = "3f1b0c9e-2a4d-4e6f-8a1b-0c2d3e4f5a6b";
export const routes = [
  "/",
  "/login",
  "/login/two-factor",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/invite/abc",
  "/calls",
  "/agents/new",
  "/knowledge/kb1",
  "/settings/billing",
  "/api/v1/agents",
  `/api/v1/agents/${uuid}`,
  `/api/v1/agents/${uuid}/widget`,
  "/api/v1/calls",
  `/api/v1/calls/${uuid}/recording`,
  "/api/v1/numbers/available",
  "/api/v1/webhooks",
  "/api/v1/campaigns",
  "/api/v1/do-not-call",
  "/api/v1/usage",
  "/api/v1/reference",
  "/api/v1/openapi.json",
  "/widget",
  "/widget.js",
  "/twilio/voice",
  "/twilio/status",
  "/twilio/recording",
  "/stripe/webhook",
  "/health",
  "/ready",
];
const junk = [
  "//",
  "/\\",
  "\\",
  "%00",
  "%",
  "%zz",
  "%C0%AF",
  "%ff%fe",
  "%2F",
  "%5C",
  "%2e%2e",
  "..",
  "/../",
  "/./",
  "é",
  "𝔘",
  "\u202e",
  "\uffff",
  "?",
  "??",
  "&",
  "=",
  "#",
  ";",
  "*",
  "~",
  "@",
  ":",
  "[",
  "]",
  "{",
  "}",
  "|",
  "^",
  "`",
  '"',
  "<",
  ">",
  "'",
  "\t",
  "\x7f",
];
/** Whatever could sit inside a request target without ending the request line. */
const targetSafe = (s: string) => s.replace(/[ \r\n]/g, "");

export const target = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...routes),
        fc.array(fc.oneof(fc.constantFrom(...junk), fc.string({ maxLength: 6 }), fc.webSegment()), { maxLength: 4 }),
        fc.option(fc.webQueryParameters()),
      )
      .map(([r, parts, q]) => targetSafe(`${r}${parts.join("")}${q ? `?${q}` : ""}`)),
  },
  { weight: 1, arbitrary: fc.constantFrom(8_000, 60_000).map((n) => `/api/v1/agents?q=${"a".repeat(n)}`) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map((s) => `/${targetSafe(s)}`) },
);

export const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") },
  { weight: 1, arbitrary: fc.constantFrom("TRACE", "PROPFIND", "BREW", "get", "X".repeat(40)) },
);

const headerName = fc.oneof(
  fc.constantFrom(
    "content-type",
    "authorization",
    "cookie",
    "x-request-id",
    "traceparent",
    "x-twilio-signature",
    "stripe-signature",
    "origin",
    "sec-fetch-site",
    "accept",
    "accept-encoding",
    "accept-language",
    "x-forwarded-for",
    "x-forwarded-host",
    "cf-connecting-ip",
    "x-bvrai-edge",
    "x-bvrai-client-ip",
    "idempotency-key",
    "range",
    "if-none-match",
    "referer",
    "user-agent",
    "x-api-key",
  ),
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,24}$/),
);
const headerValue = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz",
        "multipart/form-data",
        "text/plain; charset=utf-16",
        "Bearer bv_live_x",
        "Bearer ",
        "Basic Og==",
        "bytes=0-",
        "bytes=-1,5-2,999999999999999999-",
        "00-xyz-01",
        "00-00000000000000000000000000000000-0000000000000000-00",
        "t=1,v2=x",
        "session=%ff; bvrai_session=",
        "null",
        "https://evil.example",
        "cross-site",
        "gzip, br, zstd, *;q=0",
      ),
    },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(500, 4_000, 30_000).map((n) => "v".repeat(n)) },
  )
  .map((v) => v.replace(/[\r\n\0]/g, ""));
/** Headers as sent: names repeated, values empty, huge or non-ASCII; framing headers are the request's own. */
export const headers = fc
  .array(fc.tuple(headerName, headerValue), { maxLength: 8 })
  .map((hs) => hs.filter(([k]) => !/^(content-length|transfer-encoding|host|connection|expect|upgrade)$/i.test(k)));

const json = fc.oneof(
  fc.json(),
  fc.anything().map((v) => JSON.stringify(v) ?? "null"),
  fc.constantFrom(
    '{"name":',
    "[[[[[[[[[[",
    '{"name":"x","systemPrompt":1e999}',
    '{"__proto__":{"admin":true}}',
    '{"url":"http://169.254.169.254/"}',
    "\ufeff{}",
  ),
);
export const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 3, arbitrary: json.map((s) => Buffer.from(s)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x7b])) },
  { weight: 2, arbitrary: fc.webQueryParameters().map((q) => Buffer.from(`email=${q}&password=%ff&${q}`)) },
  {
    weight: 1,
    arbitrary: fc
      .string()
      .map((s) =>
        Buffer.from(`--zz\r\nContent-Disposition: form-data; name="file"; filename="${s}"\r\n\r\n${s}\r\n--zz`),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom(300_000, 2_000_000).map((n) => Buffer.alloc(n, "{")) },
);

/** How the body is framed: an exact Content-Length, chunked (in random cuts), or a length that lies (then the sender stops). */
export const framing = fc.oneof(
  { weight: 6, arbitrary: fc.constant("length" as const) },
  { weight: 2, arbitrary: fc.constant("chunked" as const) },
  { weight: 1, arbitrary: fc.constant("short" as const) },
);

const apiPaths = [
  "/agents",
  "/agents/{id}",
  "/agents/{id}/versions",
  "/agents/{id}/versions/{n}/restore",
  "/agents/{id}/widget",
  "/calls",
  "/calls/{id}",
  "/calls/{id}/recording",
  "/calls/{id}/replay",
  "/campaigns",
  "/campaigns/{id}/status",
  "/do-not-call",
  "/do-not-call/{id}",
  "/invitations",
  "/members",
  "/members/{id}",
  "/numbers",
  "/numbers/{id}",
  "/numbers/available",
  "/runs/{id}",
  "/suites/{id}/runs",
  "/usage",
  "/webhooks",
  "/webhooks/{id}",
  "/webhooks/{id}/deliveries",
  "/webhooks/{id}/deliveries/{id}/resend",
  "/webhooks/{id}/rotate-secret",
  "/audit",
];
const fields = [
  "name",
  "systemPrompt",
  "firstMessage",
  "voice",
  "model",
  "url",
  "events",
  "enabled",
  "phone",
  "to",
  "from",
  "fromNumberId",
  "agentId",
  "numberId",
  "status",
  "role",
  "email",
  "variables",
  "limit",
  "cursor",
  "areaCode",
  "country",
  "tools",
  "knowledgeBaseIds",
  "maxDurationSeconds",
  "machineDetection",
  "screeningAction",
  "answeredBy",
  "rows",
  "settings",
  "allowedOrigins",
  "version",
  "description",
  "metadata",
];
const weird = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "%00",
    "9".repeat(400),
    -1,
    0,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    null,
    [],
    {},
    "+14155550100",
    "not-an-email",
    "http://127.0.0.1/",
    "http://[::ffff:7f00:1]/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "2026-02-30T25:61:00Z",
    "a".repeat(70_000),
  ),
);

/** Requests the REST API's own handlers see: its routes with known, unknown and malformed ids; JSON bodies of its fields with any values. */
export function apiRequest(knownIds: string[]) {
  const id = fc.oneof(
    fc.constantFrom(...knownIds, uuid, "not-a-uuid", "%00", "..", "1", "00000000-0000-0000-0000-000000000000"),
    fc.uuid(),
  );
  const path = fc
    .tuple(
      fc.constantFrom(...apiPaths),
      id,
      id,
      fc.option(
        fc.constantFrom(
          "limit=-1",
          "limit=1000000",
          "limit=abc",
          "cursor=%ff",
          "cursor=eyJ9",
          "from=2026-13-01&to=x",
          "status=x&agentId=y",
          "limit=1&limit=2",
        ),
      ),
    )
    .map(([p, a, b, q]) =>
      targetSafe(`/api/v1${p.replace("{id}", a).replace("{id}", b).replace("{n}", "1")}${q ? `?${q}` : ""}`),
    );
  // A plausible body (most routes take some of these) with a few fields made strange, so requests get past validation too.
  const plausible = {
    name: "Fuzz desk",
    systemPrompt: "Be brief.",
    firstMessage: "Hello.",
    url: "https://hooks.example.com/bvrai",
    events: ["call.ended"],
    phone: "+14155550100",
    to: "+14155550100",
    agentId: knownIds[0],
    role: "member",
    email: "fuzz@example.com",
    status: "paused",
    allowedOrigins: ["https://example.com"],
  };
  const json = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.boolean(), fc.dictionary(fc.constantFrom(...fields), weird, { maxKeys: 4 }))
        .map(([base, o]) => JSON.stringify(base ? { ...plausible, ...o } : o)),
    },
    { weight: 1, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "[1,2", "null", '"x"', "{}") },
  );
  return fc.record({
    method: fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE"),
    target: path,
    headers: fc.array(
      fc.tuple(
        fc.constantFrom("idempotency-key", "x-request-id", "accept", "traceparent"),
        fc.string({ maxLength: 30 }).map((v) => v.replace(/[\r\n\0]/g, "")),
      ),
      { maxLength: 2 },
    ),
    body: json.map((j) => Buffer.from(j)),
    framing: fc.constant("length" as const),
  });
}
