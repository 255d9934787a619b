import { sql } from "drizzle-orm";
import type { Tx } from "./tenant";

/** Channels the processes signal each other on: a call's record changed; a call should end. */
export const channels = { callLive: "call_live", callControl: "call_control" } as const;
export type Channel = (typeof channels)[keyof typeof channels];

/** Sent when the transaction commits (Postgres holds NOTIFY until then): listeners never see a change before it is readable. */
export async function notify(tx: Tx, channel: Channel, payload: string) {
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}
