import { readFileSync } from "node:fs";
import pg from "pg";
import { placeInboundCall } from "../tests/fakes/twilio-caller";

/**
 * SANDBOX: plays Twilio for one inbound call to a running `npm run dev`. Gives the agent's tenant
 * a sandbox number (+1555…) if that agent has none, then calls it.
 */
const agentId = process.argv[2];
if (!agentId) {
  console.error("usage: npm run call:simulate -- <agent id>   (the id is in the agent's URL)");
  process.exit(1);
}
const sandbox = JSON.parse(readFileSync(".data/sandbox.json", "utf8")) as {
  edgeUrl: string;
  twilioAuthToken: string;
  databaseUrl: string;
};
const client = new pg.Client({ connectionString: sandbox.databaseUrl });
await client.connect();
// Setup runs as the schema owner on purpose: number provisioning is a later feature.
const agents = await client.query<{ tenant_id: string }>(
  "select tenant_id from agents where id = $1 and deleted_at is null",
  [agentId],
);
if (!agents.rows[0]) {
  console.error(`No agent ${agentId}. Create one in the portal first.`);
  process.exit(1);
}
const existing = await client.query<{ e164: string }>("select e164 from phone_numbers where agent_id = $1", [agentId]);
let number = existing.rows[0]?.e164;
if (!number) {
  number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await client.query(
    "insert into phone_numbers (tenant_id, e164, agent_id, provider_sid) values ($1, $2, $3, 'SANDBOX')",
    [agents.rows[0].tenant_id, number, agentId],
  );
}
await client.end();
console.log(`calling ${number} (sandbox) for 3 s…`);
const result = await placeInboundCall({
  edgeUrl: sandbox.edgeUrl,
  authToken: sandbox.twilioAuthToken,
  to: number,
  from: "+15005550006",
  talkMs: 3000,
});
console.log(
  `heard ${result.agentFrames} frames of agent audio (${(result.agentFrames * 0.02).toFixed(1)} s); the call is on the portal's Calls page.`,
);
