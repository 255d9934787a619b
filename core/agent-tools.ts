/** What an agent may do besides talking: built-ins, and the tenant's own HTTP endpoints. */
export type AgentTool =
  | { type: "end_call" }
  | { type: "send_dtmf" }
  /** `warm`: the agent briefs the person first, and the caller waits on hold until they join. */
  | { type: "transfer_call"; number: string; description?: string; mode?: "cold" | "warm" }
  | {
      type: "http";
      name: string;
      description: string;
      /** JSON schema of the arguments the model fills in. */
      parameters: Record<string, unknown>;
      url: string;
      method: "GET" | "POST";
      headers?: Record<string, string>;
      timeoutMs?: number;
    };
