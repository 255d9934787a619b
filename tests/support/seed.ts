import pg from "pg";

/**
 * Test fixtures written as the schema owner, the way a session-row fixture logs a user in:
 * setup only. Everything under test runs as the application role.
 */
export async function seedTenant(ownerUrl: string, opts: { name?: string; number?: string } = {}) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const tenantId = crypto.randomUUID();
    await client.query("insert into tenants (id, name) values ($1, $2)", [tenantId, opts.name ?? "Acme"]);
    const { rows } = await client.query<{ id: string }>(
      `insert into agents (tenant_id, name, system_prompt, first_message, voice, model)
       values ($1, 'Receptionist', 'You answer the phone.', 'Hello, thanks for calling Acme.', 'sandbox-alloy', 'gpt-4o-mini')
       returning id`,
      [tenantId],
    );
    const agentId = rows[0]!.id;
    const number = opts.number ?? `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    await client.query("insert into phone_numbers (tenant_id, e164, agent_id) values ($1, $2, $3)", [
      tenantId,
      number,
      agentId,
    ]);
    return { tenantId, agentId, number };
  } finally {
    await client.end();
  }
}

export async function ownerQuery<T extends pg.QueryResultRow>(ownerUrl: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A user (optionally a member of a tenant), written as the owner: a fixture, not the code under test. */
export async function seedUser(ownerUrl: string, opts: { email?: string; tenantId?: string; role?: string } = {}) {
  const email = opts.email ?? `user-${crypto.randomUUID()}@example.com`;
  const [user] = await ownerQuery<{ id: string }>(
    ownerUrl,
    "insert into users (email, name, password_hash, email_verified_at) values ($1, 'Test User', 'x', now()) returning id",
    [email],
  );
  let membershipId: string | undefined;
  if (opts.tenantId) {
    const [m] = await ownerQuery<{ id: string }>(
      ownerUrl,
      "insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) returning id",
      [opts.tenantId, user!.id, opts.role ?? "member"],
    );
    membershipId = m!.id;
  }
  return { id: user!.id, email, membershipId };
}

/**
 * Calls ended by earlier test files with no jobs worker leave their `call.ended` jobs queued; a test
 * about the queue itself starts from an empty one so it watches only its own jobs.
 */
export const emptyCallEndedQueue = (ownerUrl: string) =>
  ownerQuery(ownerUrl, "delete from pgboss.job where name = 'call.ended' and state in ('created', 'retry')");
