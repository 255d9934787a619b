import type { AgentTool } from "../core/agent-tools";
import { isCiphertext, type PiiCipher } from "../core/crypto/pii";
import { toolHeaderField } from "./pii-columns";

/**
 * The tenant's HTTP tools' header values (API keys, bearer tokens of its own services) are secrets:
 * stored encrypted inside `agents.tools` and the versions' snapshots, shown to no one, opened only
 * by the relay when it calls the tool (docs/decisions/0024).
 */
type HttpTool = Extract<AgentTool, { type: "http" }>;

/** What everyone sees in place of a value; sent back unchanged, it keeps the saved one. */
export const HEADER_MASK = "********";

const mapHeaders = async (
  tools: AgentTool[],
  each: (value: string, name: string, tool: HttpTool) => Promise<string | null> | string | null,
) =>
  Promise.all(
    tools.map(async (t) => {
      if (t.type !== "http" || !t.headers) return t;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(t.headers)) {
        const out = await each(value, name, t);
        if (out !== null) headers[name] = out;
      }
      return { ...t, headers };
    }),
  );

/** The tools as anyone may see them: every header named, none of their values. */
export function maskToolHeaders(tools: AgentTool[]): AgentTool[] {
  return tools.map((t) =>
    t.type === "http" && t.headers
      ? { ...t, headers: Object.fromEntries(Object.keys(t.headers).map((name) => [name, HEADER_MASK])) }
      : t,
  );
}

const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * The tools as they are stored: every new value encrypted; a masked value replaced by the saved one
 * of the same tool and header, but only while the tool still calls the same origin (otherwise an
 * editor who cannot read the secret could send it to a server of their own). Returns the first
 * problem instead when a masked value has nothing to keep.
 */
export async function sealToolHeaders(
  pii: PiiCipher,
  { tenantId, tools, stored = [] }: { tenantId: string; tools: AgentTool[]; stored?: AgentTool[] },
): Promise<{ tools: AgentTool[] } | { problem: string }> {
  const field = toolHeaderField(tenantId);
  let problem: string | null = null;
  const sealed = await mapHeaders(tools, async (value, name, tool) => {
    if (value !== HEADER_MASK) return pii.encrypt(value, field);
    const before = stored.find((s): s is HttpTool => s.type === "http" && s.name === tool.name);
    const saved =
      before && Object.entries(before.headers ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    if (saved === undefined) problem ??= `${tool.name}: header ${name} has no saved value to keep; enter it`;
    else if (origin(before!.url) !== origin(tool.url))
      problem ??= `${tool.name}: the tool now calls another address; enter header ${name} again`;
    else return isCiphertext(saved) ? saved : pii.encrypt(saved, field);
    return null;
  });
  return problem ? { problem } : { tools: sealed };
}

/**
 * The tools with their header values in clear, for the one place that calls them. A value saved
 * before encryption is used as it is; one that does not open (a key not configured here) is left
 * out and reported, so the tool is called without it rather than with a ciphertext.
 */
export function openToolHeaders(
  pii: PiiCipher | undefined,
  { tenantId, tools }: { tenantId: string; tools: AgentTool[] },
  onUnreadable: (tool: string, header: string) => void = () => {},
) {
  const field = toolHeaderField(tenantId);
  return mapHeaders(tools, async (value, name, tool) => {
    if (!isCiphertext(value)) return value;
    const plain = pii ? await pii.decrypt(value, field).catch(() => null) : null;
    if (plain === null) onUnreadable(tool.name, name);
    return plain;
  });
}

/**
 * For key rotation: every header value under the newest key, values saved before encryption
 * encrypted. Values no configured key opens are counted and left as they are, never overwritten.
 */
export async function resealToolHeaders(pii: PiiCipher, { tenantId, tools }: { tenantId: string; tools: AgentTool[] }) {
  const field = toolHeaderField(tenantId);
  let rewritten = 0;
  let unreadable = 0;
  const out = await mapHeaders(tools, async (value) => {
    if (!pii.needsRotation(value)) return value;
    const plain = isCiphertext(value) ? await pii.decrypt(value, field).catch(() => null) : value;
    if (plain === null) {
      unreadable++;
      return value;
    }
    rewritten++;
    return pii.encrypt(plain, field);
  });
  return { tools: out, rewritten, unreadable };
}
