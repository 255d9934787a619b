import { describe, expect, it } from "vitest";
import { fillTemplate } from "./template";

describe("fillTemplate", () => {
  it("fills known names, with or without spaces, and leaves unknown ones as written", () => {
    expect(fillTemplate("Hi {{name}}, about {{ order_id }}. {{missing}}", { name: "Ada", order_id: "A-17" })).toBe(
      "Hi Ada, about A-17. {{missing}}",
    );
  });
  it("takes values literally, never as further templates or replacement patterns", () => {
    expect(fillTemplate("{{a}}", { a: "{{b}} $& $1", b: "x" })).toBe("{{b}} $& $1");
    expect(fillTemplate("{{toString}}", {})).toBe("{{toString}}");
  });
});
