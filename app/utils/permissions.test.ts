import { describe, expect, it } from "vitest";
import { roles } from "../../db/schema";
import { assignableRoles, can } from "./permissions";

describe("can(role, action)", () => {
  it("grants each role exactly its column of the table", () => {
    const matrix = Object.fromEntries(
      roles.map((r) => [
        r,
        [
          "agent:read",
          "agent:write",
          "agent:delete",
          "member:manage",
          "member:manage_owners",
          "api_key:manage",
          "audit:read",
        ].filter((a) => can(r, a as never)),
      ]),
    );
    expect(matrix).toEqual({
      owner: [
        "agent:read",
        "agent:write",
        "agent:delete",
        "member:manage",
        "member:manage_owners",
        "api_key:manage",
        "audit:read",
      ],
      admin: ["agent:read", "agent:write", "agent:delete", "member:manage", "api_key:manage", "audit:read"],
      member: ["agent:read", "agent:write"],
      viewer: ["agent:read"],
    });
  });
  it("lets only owners hand out the owner role, and viewers and members hand out nothing", () => {
    expect(assignableRoles("owner")).toContain("owner");
    expect(assignableRoles("admin")).toEqual(["admin", "member", "viewer"]);
    expect(assignableRoles("member")).toEqual([]);
    expect(assignableRoles("viewer")).toEqual([]);
  });
});
