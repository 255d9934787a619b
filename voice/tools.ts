import type { AgentTool } from "../core/agent-tools";
import { DTMF_DIGITS } from "../core/audio/dtmf";
import { guardedRequest } from "../core/net/guarded-request";
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
          properties: {
            digits: { type: "string", pattern: "^[0-9*#w]{1,32}$", description: "Keys to press, e.g. 1w234#" },
          },
          required: ["digits"],
        },
      };
    if (t.type === "transfer_call" && t.mode === "warm")
      return {
        name: "transfer_call",
        description:
          t.description ??
          "Transfer the caller to a person when they ask for one. Tell the caller you are connecting them first.",
        parameters: {
          type: "object",
          properties: {
            summary: {
              type: "string",
              maxLength: 600,
              description:
                "A briefing for the person taking the call: who is calling and what they need, in one or two sentences.",
            },
          },
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
    const summary =
      tool.mode === "warm" && typeof args.summary === "string" ? args.summary.trim().slice(0, 600) : undefined;
    return {
      result: '{"ok":true}',
      action: { kind: "transfer", number: tool.number, mode: tool.mode ?? "cold", ...(summary ? { summary } : {}) },
    };
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

/**
 * The tenant's endpoint through the one SSRF guard (core/net/guarded-request: resolved once,
 * checked, connected to that address, redirects not followed), within the tool's deadline from
 * connect to last byte, reading at most a few times what the model is shown.
 */
async function callHttp(tool: Extract<AgentTool, { type: "http" }>, args: Record<string, unknown>, allow?: string[]) {
  const url = new URL(tool.url);
  const body = tool.method === "POST" ? JSON.stringify(args) : undefined;
  if (tool.method === "GET") for (const [k, v] of Object.entries(args)) url.searchParams.set(k, String(v));
  const res = await guardedRequest(
    url.toString(),
    {
      method: tool.method,
      headers: { ...tool.headers, "content-type": "application/json", "user-agent": "BVRAI-tools/1" },
      body,
      allow,
    },
    { deadlineMs: tool.timeoutMs ?? 5000, maxBytes: MAX_RESULT * 4 },
  );
  const text = res.body.toString("utf8");
  return res.status < 400 ? text : JSON.stringify({ error: `HTTP ${res.status}`, body: text.slice(0, 500) });
}
