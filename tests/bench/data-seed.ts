import pg from "pg";
import { seedTenant } from "../support/seed";

/**
 * The data set of issue 21, written by Postgres itself (generate_series), not row by row from
 * here: one big tenant with `calls` calls spread over 180 days (newest first by position), turns
 * for the newest 10 %, a usage record per ended call, analyses for 20 %, five live calls; and two
 * small tenants of 2,000 calls each beside it.
 */
export async function seedDataSet(ownerUrl: string, calls: number) {
  const big = await seedTenant(ownerUrl, { name: "Big" });
  const small = [await seedTenant(ownerUrl, { name: "Small A" }), await seedTenant(ownerUrl, { name: "Small B" })];
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const [{ id: otherAgent }] = (
      await client.query<{ id: string }>(
        `insert into agents (tenant_id, name, system_prompt, first_message, voice, model)
         values ($1, 'Sales', 'You sell.', 'Hello.', 'sandbox-alloy', 'gpt-4o-mini') returning id`,
        [big.tenantId],
      )
    ).rows as [{ id: string }];
    await client.query("update tenants set plan = 'pro', period_start = now() - interval '25 days' where id = $1", [
      big.tenantId,
    ]);
    for (const [t, n, agent2] of [
      [big, calls, otherAgent] as const,
      ...small.map((s) => [s, 2000, s.agentId] as const),
    ])
      await seedCalls(client, t, n, agent2);
    await client.query("vacuum analyze");
  } finally {
    await client.end();
  }
  return { big, small };
}

type Tenant = { tenantId: string; agentId: string };

async function seedCalls(client: pg.Client, t: Tenant, n: number, agent2: string) {
  const [{ id: numberId }] = (
    await client.query<{ id: string }>("select id from phone_numbers where tenant_id = $1", [t.tenantId])
  ).rows as [{ id: string }];
  // Call g is g/n of 180 days old; every 20th failed; callers repeat every 5,000 calls.
  await client.query(
    `insert into calls (tenant_id, agent_id, phone_number_id, direction, status, from_number_index,
                        started_at, ended_at, duration_seconds, cost_micros, end_reason, created_at)
     select $1, case when g % 3 = 0 then $3::uuid else $2::uuid end, $4,
            (array['inbound','outbound','web'])[1 + g % 3], case when g % 20 = 0 then 'failed' else 'completed' end,
            'bench-' || (g % 5000), ts, ts + make_interval(secs => dur), dur, dur * 1000, 'caller_hangup', ts
     from (select g, now() - interval '1 minute' - (g::float8 / $5) * interval '180 days' as ts, 30 + g % 300 as dur
           from generate_series(1, $5::int) g) s`,
    [t.tenantId, t.agentId, agent2, numberId, n],
  );
  await client.query(
    `insert into calls (tenant_id, agent_id, direction, status, started_at, created_at)
     select $1, $2, 'inbound', 'in_progress', now() - g * interval '1 minute', now() - g * interval '1 minute'
     from generate_series(1, 5) g`,
    [t.tenantId, t.agentId],
  );
  await client.query(
    `insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms)
     select c.tenant_id, c.id, s, case when s % 2 = 0 then 'agent' else 'caller' end,
            'A line of the conversation, about as long as one usually is.', s * 3000
     from (select id, tenant_id from calls where tenant_id = $1 order by created_at desc limit $2) c,
          generate_series(0, 5) s`,
    [t.tenantId, Math.ceil(n / 10)],
  );
  await client.query(
    `insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, plan, created_at)
     select tenant_id, id, 'call_seconds', duration_seconds, 1000, duration_seconds * 1000, 'pro', ended_at
     from calls where tenant_id = $1 and ended_at is not null`,
    [t.tenantId],
  );
  await client.query(
    `insert into call_analyses (tenant_id, call_id, status, success, created_at)
     select tenant_id, id, 'completed',
            case abs(hashtext(id::text)) % 3 when 0 then true when 1 then false end, ended_at
     from calls where tenant_id = $1 and ended_at is not null and abs(hashtext(id::text || 'a')) % 5 = 0`,
    [t.tenantId],
  );
}
