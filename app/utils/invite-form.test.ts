import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVITEE_EMAIL_MAX, inviteeEmail } from "../../core/invitation-input";
import { inviteSchema } from "./invite-form";

const address = (length: number) => `${"a".repeat(length - "@example.com".length)}@example.com`;

describe("the invite form", () => {
  it("takes and refuses the addresses the API does, up to the same length", () => {
    const emails = fc.oneof(
      fc.emailAddress(),
      fc.constantFrom(address(INVITEE_EMAIL_MAX), address(INVITEE_EMAIL_MAX + 1), "not-an-email", "", "a@b"),
    );
    fc.assert(
      fc.property(emails, (email) => {
        expect(inviteSchema.safeParse({ email, role: "member" }).success).toBe(inviteeEmail.safeParse(email).success);
      }),
    );
    expect(inviteeEmail.safeParse(address(INVITEE_EMAIL_MAX)).success).toBe(true);
    expect(inviteeEmail.safeParse(address(INVITEE_EMAIL_MAX + 1)).success).toBe(false);
  });

  it("words its refusals for the team page", () => {
    const issues = (form: Record<string, string>) =>
      inviteSchema.safeParse(form).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ email: "nope", role: "member" })).toEqual(["email: Enter a valid email address"]);
    expect(issues({ email: "ada@example.com", role: "king" })).toEqual(["role: Choose a role"]);
    expect(inviteSchema.parse({ email: "ada@example.com", role: "admin" })).toEqual({
      email: "ada@example.com",
      role: "admin",
    });
  });
});
