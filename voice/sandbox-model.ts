import type { ChatMessage, LanguageModel } from "./types";

export const SANDBOX_LABEL = "[Sandbox model]";

/**
 * Who the agent is, from its prompt's first sentence: "You are Ava, the receptionist at Acme." →
 * "I'm Ava, the receptionist at Acme". Only the start of the prompt, and not much of it.
 */
export function introduction(prompt: string): string {
  const first =
    prompt
      .trim()
      .split(/(?<=[.!?])\s|\n/)[0]
      ?.trim()
      .replace(/[.!?]+$/, "") ?? "";
  const clipped = first.length > 120 ? `${first.slice(0, 120).replace(/\s+\S*$/, "")}…` : first;
  const role = /^you(?:'re| are)\s+(.+)/i.exec(clipped)?.[1];
  if (role) return `I'm ${role}`;
  return clipped ? `My instructions begin: ${clipped}` : "I have no instructions yet";
}

/**
 * SANDBOX language model: no network, no key. A canned reply, labelled as such, that shows the
 * prompt was read and the caller heard: "[Sandbox model] I'm …. You said: …".
 */
export const sandboxModel: LanguageModel = {
  async *stream(messages: ChatMessage[]) {
    const prompt = messages.find((m) => m.role === "system")?.content ?? "";
    const last = messages.findLast((m) => m.role === "user")?.content ?? "";
    yield `${SANDBOX_LABEL} ${introduction(prompt)}. You said: ${last}`;
  },
};
