import { createServer, type IncomingMessage } from "node:http";
import twilio from "twilio";
import { type CallResult, recordingWav, streamTwiml } from "../twilio-caller";

const hex = (n: number) =>
  [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
const sid = (prefix: string) => `${prefix}${hex(16)}`;
const now = () => new Date().toUTCString().replace("GMT", "+0000");

export type FakeNumber = {
  sid: string;
  account_sid: string;
  phone_number: string;
  friendly_name: string;
  voice_url: string | null;
  voice_method: string;
  status_callback: string | null;
  status_callback_method: string;
};
export type FakeCall = {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  url: string;
  twiml: string | null;
  direction: "inbound" | "outbound-api";
  status_callback: string | null;
  events: string[];
  machine_detection: string | null;
  status: string;
  started: number;
  fetches: number;
};
export type FakeRecording = {
  sid: string;
  account_sid: string;
  call_sid: string;
  channels: number;
  duration: number;
  wav: Buffer;
  callback: string;
};
type Account = { sid: string; auth_token: string; friendly_name: string; owner_account_sid: string; status: string };

/**
 * The parts of Twilio's REST API (2010-04-01) the platform uses, reached by the real `twilio`
 * client (its `api.baseUrl` pointed here): subaccounts, available and incoming phone numbers, and
 * live-call updates. HTTP Basic auth as Twilio checks it: an account's own SID and auth token, or
 * the main account's for any of its subaccounts. Form bodies in, JSON out, Twilio's error shape.
 */
export async function startTwilioFake(opts: {
  accountSid: string;
  authToken: string;
  port?: number;
  /** What happens to each outbound call once created (tests of many calls): picked up, or not. */
  onCall?: (call: FakeCall) => { talkMs: number; answeredBy?: string } | "busy" | "no-answer" | undefined;
}) {
  const accounts = new Map<string, Account>([
    [
      opts.accountSid,
      {
        sid: opts.accountSid,
        auth_token: opts.authToken,
        friendly_name: "main",
        owner_account_sid: opts.accountSid,
        status: "active",
      },
    ],
  ]);
  const numbers = new Map<string, FakeNumber>();
  const callUpdates: { callSid: string; twiml: string }[] = [];
  const calls = new Map<string, FakeCall>();
  const recordings = new Map<string, FakeRecording>();
  const requests: { method: string; path: string }[] = [];

  const authorised = (req: IncomingMessage, accountSid: string) => {
    const [user, pass] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
      .toString()
      .split(":");
    const caller = accounts.get(user ?? "");
    if (!caller || caller.auth_token !== pass) return false;
    return (
      caller.sid === accountSid ||
      (caller.sid === opts.accountSid && accounts.get(accountSid)?.owner_account_sid === opts.accountSid)
    );
  };
  /** Numbers a search finds: a fixed block per country, area code and kind, minus those owned. */
  const available = (country: string, kind: string, q: URLSearchParams) => {
    const area = q.get("AreaCode") ?? (kind === "TollFree" ? "800" : "415");
    const prefix = country === "US" || country === "CA" ? `+1${area}555` : `+44${area}55`;
    const contains = q.get("Contains")?.replace(/\*/g, "") ?? "";
    return Array.from({ length: 30 }, (_, i) => `${prefix}${String(100 + i * 7).padStart(4, "0")}`)
      .filter((n) => ![...numbers.values()].some((x) => x.phone_number === n) && n.includes(contains))
      .slice(0, Number(q.get("PageSize") ?? 20))
      .map((n) => ({
        friendly_name: n,
        phone_number: n,
        locality: "San Francisco",
        region: "CA",
        iso_country: country,
        capabilities: { voice: true, SMS: true, MMS: false, fax: false },
      }));
  };
  const page = (key: string, items: unknown[], uri: string) => ({
    [key]: items,
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: 50,
    start: 0,
    end: Math.max(0, items.length - 1),
    uri,
  });

  const server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(body === null ? undefined : JSON.stringify(body));
    const error = (status: number, code: number, message: string) =>
      json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    const url = new URL(req.url ?? "/", "http://twilio");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    requests.push({ method: req.method ?? "GET", path: url.pathname });
    const path = url.pathname.replace(/^\/2010-04-01/, "");

    if (path === "/Accounts.json" && req.method === "POST") {
      if (!authorised(req, opts.accountSid)) return error(401, 20003, "Authenticate");
      const account = {
        sid: sid("AC"),
        auth_token: hex(16),
        friendly_name: form.get("FriendlyName") ?? "",
        owner_account_sid: opts.accountSid,
        status: "active",
      };
      accounts.set(account.sid, account);
      return json(201, {
        ...account,
        date_created: now(),
        type: "Full",
        uri: `/2010-04-01/Accounts/${account.sid}.json`,
      });
    }
    const m = /^\/Accounts\/(AC\w{32})\/(.+)$/.exec(path);
    if (!m) return error(404, 20404, "The requested resource was not found");
    const [, accountSid, rest] = m as unknown as [string, string, string];
    if (!authorised(req, accountSid)) return error(401, 20003, "Authenticate");
    const base = `/2010-04-01/Accounts/${accountSid}`;

    const search = /^AvailablePhoneNumbers\/([A-Z]{2})\/(Local|TollFree|Mobile)\.json$/.exec(rest);
    if (search && req.method === "GET")
      return json(200, {
        available_phone_numbers: available(search[1]!, search[2]!, url.searchParams),
        uri: url.pathname + url.search,
      });

    if (rest === "IncomingPhoneNumbers.json" && req.method === "POST") {
      const phone = form.get("PhoneNumber") ?? "";
      if (!/^\+[1-9]\d{7,14}$/.test(phone)) return error(400, 21421, "PhoneNumber is invalid");
      if ([...numbers.values()].some((n) => n.phone_number === phone))
        return error(400, 21422, "PhoneNumber requested is not available");
      const n: FakeNumber = {
        sid: sid("PN"),
        account_sid: accountSid,
        phone_number: phone,
        friendly_name: form.get("FriendlyName") ?? phone,
        voice_url: form.get("VoiceUrl"),
        voice_method: form.get("VoiceMethod") ?? "POST",
        status_callback: form.get("StatusCallback"),
        status_callback_method: form.get("StatusCallbackMethod") ?? "POST",
      };
      numbers.set(n.sid, n);
      return json(201, {
        ...n,
        date_created: now(),
        capabilities: { voice: true },
        uri: `${base}/IncomingPhoneNumbers/${n.sid}.json`,
      });
    }
    if (rest === "IncomingPhoneNumbers.json" && req.method === "GET") {
      const wanted = url.searchParams.get("PhoneNumber");
      const mine = [...numbers.values()].filter(
        (n) => n.account_sid === accountSid && (!wanted || n.phone_number === wanted),
      );
      return json(200, page("incoming_phone_numbers", mine, url.pathname + url.search));
    }
    const one = /^IncomingPhoneNumbers\/(PN\w{32})\.json$/.exec(rest);
    if (one) {
      const n = numbers.get(one[1]!);
      if (!n || n.account_sid !== accountSid) return error(404, 20404, "The requested resource was not found");
      if (req.method === "DELETE") {
        numbers.delete(n.sid);
        return json(204, null);
      }
      if (req.method === "POST") {
        if (form.has("VoiceUrl")) n.voice_url = form.get("VoiceUrl");
        if (form.has("VoiceMethod")) n.voice_method = form.get("VoiceMethod")!;
        if (form.has("StatusCallback")) n.status_callback = form.get("StatusCallback");
        if (form.has("FriendlyName")) n.friendly_name = form.get("FriendlyName")!;
      }
      return json(200, { ...n, uri: `${base}/IncomingPhoneNumbers/${n.sid}.json` });
    }
    if (rest === "Calls.json" && req.method === "POST") {
      const to = form.get("To") ?? "";
      const from = form.get("From") ?? "";
      if (!/^\+[1-9]\d{7,14}$/.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (![...numbers.values()].some((n) => n.account_sid === accountSid && n.phone_number === from))
        return error(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account.`);
      if (!form.get("Url") && !form.get("Twiml")) return error(400, 21205, "Url parameter is required.");
      const c: FakeCall = {
        sid: sid("CA"),
        account_sid: accountSid,
        to,
        from,
        url: form.get("Url") ?? "",
        twiml: form.get("Twiml"),
        direction: "outbound-api",
        status_callback: form.get("StatusCallback"),
        events: form.getAll("StatusCallbackEvent"),
        machine_detection: form.get("MachineDetection"),
        status: "queued",
        started: 0,
        fetches: 0,
      };
      calls.set(c.sid, c);
      const plan = opts.onCall?.(c);
      if (plan)
        setTimeout(() => {
          const run = typeof plan === "string" ? fake.notAnswered(c.sid, plan) : fake.answer(c.sid, plan);
          run.catch((err) => console.error("fake call failed", err));
        }, 50);
      return json(201, {
        sid: c.sid,
        account_sid: accountSid,
        to,
        from,
        status: "queued",
        direction: "outbound-api",
        api_version: "2010-04-01",
        date_created: now(),
        uri: `${base}/Calls/${c.sid}.json`,
      });
    }
    const call = /^Calls\/(CA\w+)\.json$/.exec(rest);
    if (call && req.method === "GET") {
      const c = calls.get(call[1]!);
      if (!c || c.account_sid !== accountSid) return error(404, 20404, "The requested resource was not found");
      // Like Twilio, the price is only set a little after the call has completed (here: from the second look).
      c.fetches++;
      const priced = c.status === "completed" && c.fetches >= 2;
      return json(200, {
        sid: c.sid,
        account_sid: accountSid,
        to: c.to,
        from: c.from,
        status: c.status,
        direction: c.direction,
        price: priced ? "-0.01300" : null,
        price_unit: "USD",
        api_version: "2010-04-01",
        uri: url.pathname,
      });
    }
    // Recordings: metadata (.json), the media (.wav, behind HTTP auth as with "enforce HTTP auth on media URLs"), delete.
    const rec = /^Recordings\/(RE\w{32})\.(json|wav)$/.exec(rest);
    if (rec) {
      const r = recordings.get(rec[1]!);
      if (!r || r.account_sid !== accountSid) return error(404, 20404, "The requested resource was not found");
      if (req.method === "DELETE" && rec[2] === "json") {
        recordings.delete(r.sid);
        return json(204, null);
      }
      if (req.method === "GET" && rec[2] === "wav")
        return res.writeHead(200, { "content-type": "audio/x-wav", "content-length": r.wav.length }).end(r.wav);
      if (req.method === "GET")
        return json(200, {
          sid: r.sid,
          account_sid: accountSid,
          call_sid: r.call_sid,
          channels: r.channels,
          duration: String(r.duration),
          status: "completed",
          source: "StartCallRecordingTwiML",
          uri: url.pathname,
        });
    }
    if (call && req.method === "POST") {
      const twiml = form.get("Twiml");
      if (!twiml) return error(400, 21218, "Invalid ApplicationSid / Twiml");
      callUpdates.push({ callSid: call[1]!, twiml });
      return json(200, {
        sid: call[1],
        account_sid: accountSid,
        status: "in-progress",
        api_version: "2010-04-01",
        uri: url.pathname,
      });
    }
    return error(404, 20404, "The requested resource was not found");
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const fake = {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    accounts,
    numbers,
    calls,
    callUpdates,
    recordings,
    requests,
    /**
     * Twilio finishing a recording the call's TwiML started: the file is kept (dual-channel WAV of
     * what was said) and the signed recording status callback is posted. Returns the HTTP status.
     */
    async deliverRecording(accountSid: string, callSid: string, recording: NonNullable<CallResult["recording"]>) {
      const r: FakeRecording = {
        sid: sid("RE"),
        account_sid: accountSid,
        call_sid: callSid,
        channels: recording.channels,
        duration: recording.seconds,
        wav: recordingWav(recording),
        callback: recording.callback,
      };
      recordings.set(r.sid, r);
      const status = await this.postRecordingStatus(r, "completed");
      return { recordingSid: r.sid, status };
    },
    /** One recording status callback for `r` (tests repeat it to prove the edge takes it once). */
    async postRecordingStatus(r: FakeRecording, status: "completed" | "absent") {
      const params: Record<string, string> = {
        AccountSid: r.account_sid,
        CallSid: r.call_sid,
        RecordingSid: r.sid,
        RecordingUrl: `${this.url}/2010-04-01/Accounts/${r.account_sid}/Recordings/${r.sid}`,
        RecordingStatus: status,
        RecordingDuration: String(r.duration),
        RecordingChannels: String(r.channels),
        RecordingSource: "StartCallRecordingTwiML",
        RecordingStartTime: now(),
        RecordingTrack: "both",
      };
      const signature = twilio.getExpectedTwilioSignature(accounts.get(r.account_sid)!.auth_token, r.callback, params);
      const res = await fetch(r.callback, {
        method: "POST",
        headers: { "x-twilio-signature": signature },
        body: new URLSearchParams(params),
      });
      return res.status;
    },
    /**
     * Twilio's status callback for a call of `accountSid`: posted to `url`, form-encoded, signed
     * with that account's auth token (X-Twilio-Signature:
     * https://www.twilio.com/docs/usage/webhooks/webhooks-security). Each event is its own HTTP
     * request, retried on connection failure
     * (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), with nothing
     * promising the order they land in: tests send them in any order, any number of times.
     * Returns the HTTP status.
     */
    async sendStatus(
      url: string,
      accountSid: string,
      p: { CallSid: string; CallStatus: string; CallDuration?: number; From?: string; To?: string },
    ) {
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: "2010-04-01",
        CallbackSource: "call-progress-events",
        Direction: "inbound",
        Timestamp: now(),
        ...Object.fromEntries(
          Object.entries(p)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      };
      const signature = twilio.getExpectedTwilioSignature(accounts.get(accountSid)!.auth_token, url, params);
      const res = await fetch(url, {
        method: "POST",
        headers: { "x-twilio-signature": signature },
        body: new URLSearchParams(params),
      });
      return res.status;
    },
    /**
     * The callee of an outbound call picks up (or a machine does): Twilio's progress callbacks,
     * then the signed request for TwiML (with AnsweredBy when detection was asked for), then that
     * TwiML carried out (the Media Stream, via `streamTwiml`), then `completed` with its duration.
     */
    async answer(callSid: string, how: { answeredBy?: string; talkMs: number }) {
      const c = calls.get(callSid)!;
      const token = accounts.get(c.account_sid)!.auth_token;
      const progress = (CallStatus: string, extra: Record<string, string | number> = {}) =>
        c.status_callback &&
        (c.events.includes(CallStatus === "in-progress" ? "answered" : CallStatus) || CallStatus === "completed")
          ? this.sendStatus(c.status_callback, c.account_sid, {
              CallSid: c.sid,
              CallStatus,
              From: c.from,
              To: c.to,
              ...extra,
            })
          : Promise.resolve(0);
      await progress("initiated");
      await progress("ringing");
      c.status = "in-progress";
      c.started = Date.now();
      await progress("in-progress");
      const params: Record<string, string> = {
        AccountSid: c.account_sid,
        ApiVersion: "2010-04-01",
        CallSid: c.sid,
        CallStatus: "in-progress",
        Direction: "outbound-api",
        From: c.from,
        To: c.to,
        // Synchronous AMD: AnsweredBy comes with the request for TwiML, one of human, machine_start,
        // machine_end_beep, machine_end_silence, machine_end_other, fax, unknown
        // (https://www.twilio.com/docs/voice/answering-machine-detection). Async AMD (AsyncAmd=true)
        // would instead post it to AsyncAmdStatusCallback while the call runs; we do not ask for it.
        ...(c.machine_detection ? { AnsweredBy: how.answeredBy ?? "human" } : {}),
      };
      const ask = async () =>
        c.twiml !== null
          ? new Response(c.twiml)
          : fetch(c.url, {
              method: "POST",
              headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(token, c.url, params) },
              body: new URLSearchParams(params),
            });
      // Twilio retries a TwiML request that fails at the connection once (defaults rc=1, rp=ct:
      // https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides); then the call ends in an application error.
      const res = await ask()
        .catch(() => ask())
        .catch(() => null);
      const noStream = {
        callSid: c.sid,
        twimlStatus: res?.status ?? 0,
        twiml: "",
        streamed: false,
        agentFrames: 0,
        marks: [],
      };
      // A stream that cannot connect (the relay restarting) ends the <Connect>; with nothing after it, Twilio hangs up.
      const result: CallResult = res
        ? await streamTwiml(await res.text(), res.status, {
            authToken: token,
            accountSid: c.account_sid,
            callSid: c.sid,
            talkMs: how.talkMs,
          }).catch(() => noStream)
        : noStream;
      c.status = "completed";
      await progress("completed", { CallDuration: Math.round((Date.now() - c.started) / 1000) });
      if (result.recording) await this.deliverRecording(c.account_sid, c.sid, result.recording);
      return result;
    },
    /** The callee never picks up: `busy`, `no-answer`, `failed` or `canceled`. */
    async notAnswered(callSid: string, status: "busy" | "no-answer" | "failed" | "canceled") {
      const c = calls.get(callSid)!;
      c.status = status;
      if (!c.status_callback) return;
      if (c.events.includes("initiated"))
        await this.sendStatus(c.status_callback, c.account_sid, { CallSid: c.sid, CallStatus: "initiated" });
      if (c.events.includes("ringing") && status !== "failed")
        await this.sendStatus(c.status_callback, c.account_sid, { CallSid: c.sid, CallStatus: "ringing" });
      await this.sendStatus(c.status_callback, c.account_sid, { CallSid: c.sid, CallStatus: status, CallDuration: 0 });
    },
    /**
     * A call comes in to `to` on `accountSid` and is in progress (its TwiML is the test's business):
     * the REST API now knows it, as Twilio would. Returns its CallSid.
     */
    inboundCall(accountSid: string, p: { to: string; from: string }) {
      const pn = sid("PN");
      if (![...numbers.values()].some((n) => n.phone_number === p.to))
        numbers.set(pn, {
          sid: pn,
          account_sid: accountSid,
          phone_number: p.to,
          friendly_name: p.to,
          voice_url: null,
          voice_method: "POST",
          status_callback: null,
          status_callback_method: "POST",
        });
      const c: FakeCall = {
        sid: sid("CA"),
        account_sid: accountSid,
        to: p.to,
        from: p.from,
        url: "",
        twiml: null,
        direction: "inbound",
        status_callback: null,
        events: [],
        machine_detection: null,
        status: "in-progress",
        started: Date.now(),
        fetches: 0,
      };
      calls.set(c.sid, c);
      return c.sid;
    },
    /**
     * The <Dial> a call's TwiML was last updated to ends: Twilio requests its `action` URL, signed,
     * with DialCallStatus (and the duration when the other side answered). Returns what it got back.
     */
    async dialEnds(callSid: string, DialCallStatus: string, DialCallDuration = 0) {
      const update = callUpdates.filter((u) => u.callSid === callSid).at(-1);
      const action = update && /<Dial action="([^"]+)"/.exec(update.twiml)?.[1]?.replace(/&amp;/g, "&");
      if (!action) throw new Error(`no <Dial action> in the TwiML of ${callSid}`);
      const accountSid = calls.get(callSid)?.account_sid ?? opts.accountSid;
      const params = {
        AccountSid: accountSid,
        CallSid: callSid,
        CallStatus: "in-progress",
        DialCallStatus,
        DialCallDuration: String(DialCallDuration),
        DialCallSid: sid("CA"),
      };
      const res = await fetch(action, {
        method: "POST",
        headers: {
          "x-twilio-signature": twilio.getExpectedTwilioSignature(accounts.get(accountSid)!.auth_token, action, params),
        },
        body: new URLSearchParams(params),
      });
      return { status: res.status, twiml: await res.text() };
    },
    /**
     * A Twilio account of a tenant's own, not a subaccount of ours (as a tenant imports it): it
     * answers only to its own credentials. With `number`, that number is in it.
     */
    independentAccount(number?: string) {
      const a: Account = {
        sid: sid("AC"),
        auth_token: hex(16),
        friendly_name: "theirs",
        owner_account_sid: "",
        status: "active",
      };
      a.owner_account_sid = a.sid;
      accounts.set(a.sid, a);
      if (number) {
        const pn = sid("PN");
        numbers.set(pn, {
          sid: pn,
          account_sid: a.sid,
          phone_number: number,
          friendly_name: "Main line",
          voice_url: null,
          voice_method: "POST",
          status_callback: null,
          status_callback_method: "POST",
        });
      }
      return a;
    },
    /** Someone changes the number in the Twilio console. */
    tamper(phoneNumber: string, change: Partial<FakeNumber>) {
      const n = [...numbers.values()].find((x) => x.phone_number === phoneNumber);
      if (n) Object.assign(n, change);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return fake;
}
