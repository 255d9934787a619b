import type { PiiField } from "../core/crypto/pii";

/**
 * Every column we encrypt, in one place: the queries take their field bindings from here, and
 * `npm run pii:rotate` and the plaintext-dump test walk this list.
 */
export const tenantPiiColumns = {
  calls: ["from_number", "to_number"],
  webhook_endpoints: ["url", "secret", "previous_secret"],
  webhook_deliveries: ["body", "last_response"],
  provider_credentials: ["api_key"],
  twilio_accounts: ["auth_token"],
  do_not_call: ["number"],
  campaign_rows: ["phone", "variables"],
  call_analyses: ["summary", "data", "success_reason"],
  idempotency_keys: ["body"],
} as const;

/**
 * HTTP tools' header values, encrypted one by one inside JSON: in `agents.tools` and in the copies
 * versions keep (`agent_versions.settings.tools`), all bound to agents.tools (db/tool-headers.ts).
 */
export const toolHeaderField = (tenantId: string): PiiField => ({ tenantId, table: "agents", column: "tools" });

/** Identity-level secrets: bound to the user id in place of a tenant id. */
export const userPiiColumns = { users: ["totp_key"] } as const;

type Table = keyof typeof tenantPiiColumns;
export const piiField = <T extends Table>(
  tenantId: string,
  table: T,
  column: (typeof tenantPiiColumns)[T][number],
): PiiField => ({ tenantId, table, column });
export const totpKeyField = (userId: string): PiiField => ({ tenantId: userId, table: "users", column: "totp_key" });
