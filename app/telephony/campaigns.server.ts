import { abandonStaleClaims, claimDueRows, failRow, runningCampaigns } from "../../db/queries/campaigns";
import { tenantStanding } from "../../db/queries/standing";
import { listTenantIds } from "../../db/queries/tenants";
import { type Telephony, TelephonyError } from "./numbers.server";
import { startOutboundCall } from "./outbound.server";

/**
 * One pass of the campaign dialler, run every few seconds by the jobs process: for each running
 * campaign, claim what may be dialled now and dial it. Claims are made in the database, so a
 * restart or a second worker never dials a row twice (docs/decisions/0011).
 */
export async function dialCampaigns(t: Telephony, log: (fields: Record<string, unknown>) => void) {
  let dialled = 0;
  for (const tenantId of await listTenantIds(t.db)) {
    await abandonStaleClaims(t.db, { tenantId });
    // Calls paused (payment failing, trial spent): rows wait, and go on once it is lifted.
    if (!(await tenantStanding(t.db, { tenantId })).ok) continue;
    for (const campaign of await runningCampaigns(t.db, { tenantId })) {
      const rows = await claimDueRows(t.db, t.pii, { tenantId, campaignId: campaign.id });
      await Promise.all(
        rows.map(async (row) => {
          const from = campaign.fromNumberIds[row.rowNumber % campaign.fromNumberIds.length]!;
          try {
            await startOutboundCall(t, {
              tenantId,
              agentId: campaign.agentId,
              fromNumberId: from,
              to: row.phone,
              variables: row.variables,
              machineDetection: campaign.machineDetection,
              voicemailMessage: campaign.voicemailMessage,
              screeningAction: campaign.screeningAction,
              screeningMessage: campaign.screeningMessage,
              campaignRowId: row.id,
            });
            dialled++;
          } catch (err) {
            const reason = err instanceof TelephonyError ? err.message : "could not be dialled";
            log({
              level: "warn",
              msg: "campaign row not dialled",
              campaignId: campaign.id,
              row: row.rowNumber,
              reason,
            });
            await failRow(t.db, { tenantId, rowId: row.id, reason });
          }
        }),
      );
    }
  }
  return dialled;
}
