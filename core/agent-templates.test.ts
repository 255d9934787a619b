import { describe, expect, it } from "vitest";
import { agentTemplate, agentTemplates } from "./agent-templates";
import { agentInput } from "./agents/agent-input";
import { dataSchemaProblem } from "./analysis/plan";

describe("agent templates", () => {
  it("offers the four starting points, each with a valid analysis schema and rubric", () => {
    expect(agentTemplates.map((t) => t.id)).toEqual([
      "receptionist",
      "appointments",
      "lead-qualification",
      "support-triage",
    ]);
    for (const t of agentTemplates) {
      expect(dataSchemaProblem(t.analysisPlan.dataSchema), t.id).toBeNull();
      expect(t.analysisPlan.successRubric, t.id).toBeTruthy();
      expect(t.tools).toContainEqual({ type: "end_call" });
      // A template fills the new-agent form: what it fills in is within the agent's limits.
      expect(
        agentInput
          .pick({ name: true, systemPrompt: true, firstMessage: true, tools: true, analysisPlan: true })
          .safeParse(t).error,
        t.id,
      ).toBeUndefined();
    }
    expect(agentTemplate("appointments")?.name).toBe("Appointment booker");
    expect(agentTemplate("nope")).toBeNull();
  });
});
