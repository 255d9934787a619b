import { createServer } from "node:http";

/**
 * The part of Twilio's REST API a live call uses: `POST /2010-04-01/Accounts/{AccountSid}/Calls/
 * {CallSid}.json` with HTTP Basic auth (account SID and auth token) and a form body (`Twiml`).
 * Answers with the call resource, as Twilio does, and records each update.
 */
export async function startTwilioRestFake(opts: { accountSid: string; authToken: string }) {
  const updates: { callSid: string; twiml: string }[] = [];
  const server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString("base64")}`;
    if (req.headers.authorization !== expected) return json(401, { code: 20003, message: "Authenticate", status: 401 });
    const m = /^\/2010-04-01\/Accounts\/(AC\w+)\/Calls\/(CA\w+)\.json$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m || m[1] !== opts.accountSid) return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const twiml = form.get("Twiml");
    if (!twiml) return json(400, { code: 21218, message: "Invalid ApplicationSid / Twiml", status: 400 });
    updates.push({ callSid: m[2]!, twiml });
    json(200, { sid: m[2], account_sid: m[1], status: "in-progress", api_version: "2010-04-01", uri: req.url });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    updates,
    async stop() {
      await new Promise((r) => server.close(r));
    },
  };
}
