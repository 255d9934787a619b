import { apiKeyRoles, type Role } from "../../db/schema";

/** Who may do what: the one table every loader, action and API route consults. */
const table = {
  "agent:read": ["owner", "admin", "member", "viewer"],
  "agent:write": ["owner", "admin", "member"],
  "agent:delete": ["owner", "admin"],
  "call:read": ["owner", "admin", "member", "viewer"],
  "call:place": ["owner", "admin", "member"],
  "call:end": ["owner", "admin"],
  "member:read": ["owner", "admin", "member", "viewer"],
  "member:manage": ["owner", "admin"],
  /** Granting, changing or removing the owner role. */
  "member:manage_owners": ["owner"],
  "api_key:manage": apiKeyRoles,
  "webhook:manage": ["owner", "admin"],
  "provider:manage": ["owner", "admin"],
  "number:read": ["owner", "admin", "member", "viewer"],
  /** Buying, importing and releasing numbers costs money or gives them away. */
  "number:manage": ["owner", "admin"],
  "audit:read": ["owner", "admin"],
  /** Plan, payment method, invoices: what the team pays. */
  "billing:manage": ["owner", "admin"],
  /** How long call recordings are kept: shortening it deletes recordings. */
  "recording:manage": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof table;

export const can = (role: Role, action: Action) => (table[action] as readonly Role[]).includes(role);

/** Roles `role` may hand out or take away. */
export const assignableRoles = (role: Role): Role[] =>
  can(role, "member:manage_owners")
    ? ["owner", "admin", "member", "viewer"]
    : can(role, "member:manage")
      ? ["admin", "member", "viewer"]
      : [];
