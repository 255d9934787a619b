import type { CallInput } from "./call-state-clock";
import type { ConversationDeps } from "./conversation";
import type { ToolAction } from "./tools";

export const TRANSFER_FAILED_LINE = "I'm sorry, I couldn't transfer you. Please call back later. Goodbye.";

/**
 * The transfer tool's effect, the same in every engine (docs/decisions/0013): the caller is handed
 * to a person; if that fails, the call ends after the agent says so, never in silence.
 */
export async function handOver(
  deps: Pick<ConversationDeps, "transfer" | "recordEvent" | "log">,
  limits: { send(event: CallInput): void },
  action: Extract<ToolAction, { kind: "transfer" }>,
) {
  // The agent is busy handing the caller over: not a silence to fill.
  limits.send({ type: "agent_replying" });
  try {
    const { kind: _, ...request } = action;
    await deps.transfer(request);
    await deps.recordEvent("call.transferred", { to: action.number, mode: action.mode });
  } catch (err) {
    deps.log({ level: "error", msg: "transfer failed", err: (err as Error).message });
    await deps.recordEvent("provider.error", { provider: "twilio", message: (err as Error).message });
    limits.send({ type: "end", reason: "transfer_failed", line: TRANSFER_FAILED_LINE });
  }
}
