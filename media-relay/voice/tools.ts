import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { DTMF_DIGITS } from "../../core/audio/dtmf";
import type { AgentTool } from "../../db/schema";
import { isIP } from "node:net";
import { guardedLookup, isForbiddenAddress } from "./ssrf";
import type { ToolCall, ToolSpec } from "./types";

export type TransferRequest = { number: string; mode: "cold" | "warm"; summary?: string };
export type ToolAction = { kind: "end_call" } | ({ kind: "transfer" } & TransferRequest);
/** `action` ends the conversation (hang up, transfer); `dtmf` is keys to play, and talk goes on. */
export type ToolOutcome = { result: string; action?: ToolAction; dtmf?: string };

const MAX_RESULT = 4000;

/** What the model is told it can call. */
export function toolSpecs(tools: AgentTool[]): ToolSpec[] {
  return tools.map((t) => {
    if (t.type === "end_call")
      return {
        name: "end_call",
        description: "End the call once the conversation is finished and you have said goodbye.",
        parameters: { type: "object", properties: {} },
      };
    if (t.type === "send_dtmf")
      return {
        name: "send_dtmf",
        description: "Press keys on the phone keypad, e.g. to navigate a phone menu. Use w for a half-second pause.",
        parameters: {
          type: "object",
          properties: { digits: { type: "string", pattern: "^[0-9*#w]{1,32}$", description: "Keys to press, e.g. 1w234#" } },
          required: ["digits"],
        },
      };
    if (t.type === "transfer_call" && t.mode === "warm")
      return {
        name: "transfer_call",
        description: t.description ?? "Transfer the caller to a person when they ask for one. Tell the caller you are connecting them first.",
        parameters: {
          type: "object",
          properties: { summary: { type: "string", maxLength: 600, description: "A briefing for the person taking the call: who is calling and what they need, in one or two sentences." } },
          required: ["summary"],
        },
      };
    if (t.type === "transfer_call")
      return {
        name: "transfer_call",
        description: t.description ?? "Transfer the caller to a person when they ask for one.",
        parameters: { type: "object", properties: {} },
      };
    return { name: t.name, description: t.description, parameters: t.parameters };
  });
}

/** Runs one tool call. Failures become a result the model can read, never an exception. */
export async function runTool(
  call: ToolCall,
  tools: AgentTool[],
  opts: { allowAddresses?: string[] } = {},
): Promise<ToolOutcome> {
  const tool = tools.find((t) => (t.type === "http" ? t.name : t.type) === call.name);
  if (!tool) return { result: JSON.stringify({ error: `unknown tool ${call.name}` }) };
  if (tool.type === "end_call") return { result: '{"ok":true}', action: { kind: "end_call" } };
  let args: Record<string, unknown>;
  try {
    args = call.arguments ? (JSON.parse(call.arguments) as Record<string, unknown>) : {};
  } catch {
    args = {};
    if (tool.type !== "transfer_call") return { result: JSON.stringify({ error: "arguments are not valid JSON" }) };
  }
  if (tool.type === "transfer_call") {
    // A warm transfer without a usable summary still goes ahead: the person is told less, the caller is not stranded.
    const summary = tool.mode === "warm" && typeof args.summary === "string" ? args.summary.trim().slice(0, 600) : undefined;
    return { result: '{"ok":true}', action: { kind: "transfer", number: tool.number, mode: tool.mode ?? "cold", ...(summary ? { summary } : {}) } };
  }
  if (tool.type === "send_dtmf") {
    const digits = typeof args.digits === "string" ? args.digits : "";
    if (!DTMF_DIGITS.test(digits))
      return { result: JSON.stringify({ error: "digits must be 1-32 of 0-9, *, # and w" }) };
    return { result: JSON.stringify({ ok: true, pressed: digits }), dtmf: digits };
  }
  try {
    return { result: (await callHttp(tool, args, opts.allowAddresses)).slice(0, MAX_RESULT) };
  } catch (err) {
    return { result: JSON.stringify({ error: (err as Error).message }) };
  }
}

/** The tenant's endpoint, with a deadline and the SSRF guard applied at connect time. */
function callHttp(tool: Extract<AgentTool, { type: "http" }>, args: Record<string, unknown>, allow?: string[]) {
  const url = new URL(tool.url);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return Promise.reject(new Error("tool URLs must be http(s)"));
  // An address literal skips DNS (and the lookup guard), so it is checked here.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isForbiddenAddress(host) && !allow?.includes(host)) {
    return Promise.reject(new Error(`refused: ${host} resolves to a private or local address`));
  }
  const body = tool.method === "POST" ? JSON.stringify(args) : undefined;
  if (tool.method === "GET") for (const [k, v] of Object.entries(args)) url.searchParams.set(k, String(v));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<string>((resolve, reject) => {
    const req = send(
      url,
      {
        method: tool.method,
        headers: { ...tool.headers, "content-type": "application/json", "user-agent": "BVRAI-tools/1" },
        lookup: guardedLookup(allow),
        signal: AbortSignal.timeout(tool.timeoutMs ?? 5000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESULT) chunks.push(c);
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve(
            res.statusCode && res.statusCode < 400
              ? text
              : JSON.stringify({ error: `HTTP ${res.statusCode}`, body: text.slice(0, 500) }),
          );
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
