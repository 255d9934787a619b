import { z } from "zod";

export const voices = ["sandbox-alloy", "sandbox-verse"] as const;
export const models = ["gpt-4o-mini", "gpt-4.1"] as const;

export const agentSchema = z.object({
  name: z.string().trim().min(1, "Give the agent a name").max(80),
  systemPrompt: z.string().trim().min(1, "The prompt tells the agent what to do").max(20_000),
  firstMessage: z.string().trim().min(1, "What the agent says when it picks up").max(500),
  voice: z.enum(voices, "Choose a voice"),
  model: z.enum(models, "Choose a model"),
});

export const agentEditSchema = agentSchema.extend({ version: z.coerce.number().int().min(1) });
