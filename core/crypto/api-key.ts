import { randomToken, sha256Hex } from "./tokens";

export const API_KEY_PREFIX = "bv_live_";
const format = /^bv_live_[a-z2-7]{40}$/;

export const apiScopes = [
  "agents:read",
  "agents:write",
  "calls:read",
  "calls:write",
  "numbers:read",
  "numbers:write",
  "webhooks:read",
  "webhooks:write",
  "members:read",
  "members:write",
  "audit:read",
] as const;
export type ApiScope = (typeof apiScopes)[number];

/** A new key: shown to its creator once; we keep only the hash and a short display prefix. */
export function generateApiKey() {
  const key = `${API_KEY_PREFIX}${randomToken(25)}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 6), hash: sha256Hex(key) };
}

export const isApiKeyFormat = (value: string) => format.test(value);
export const hashApiKey = (key: string) => sha256Hex(key);
