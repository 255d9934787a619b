import type { Role } from "../../db/schema";

/** Who may do what: the one table every loader and action consults. */
const table = {
  "agent:read": ["owner", "admin", "member", "viewer"],
  "agent:write": ["owner", "admin", "member"],
  "agent:delete": ["owner", "admin"],
  "call:read": ["owner", "admin", "member", "viewer"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof table;

export const can = (role: Role, action: Action) => (table[action] as readonly Role[]).includes(role);
