import { parseCsv } from "../../core/csv";
import { parsePhone } from "../../core/phone";
import { isTimeZone } from "../../core/timezone";
import type { CampaignRowInput } from "../../db/queries/campaigns";
import { isDoNotCall } from "../../db/queries/outbound-calls";
import type { Telephony } from "./numbers.server";

const MAX_ROWS = 10_000;

/**
 * A campaign's upload: a header row with a `phone` column (or `number`), an optional `timezone`
 * column (IANA, e.g. America/Chicago; else the campaign's), every other column a `{{variable}}`.
 * Every bad line is reported with its line number and nothing is created until all are good.
 */
export async function readCampaignCsv(
  t: Telephony,
  { tenantId, text, defaultTimezone }: { tenantId: string; text: string; defaultTimezone: string },
) {
  const [header, ...lines] = parseCsv(text);
  const errors: string[] = [];
  if (!header) return { rows: [], errors: ["The file is empty."] };
  const names = header.map((h) => h.trim());
  const phoneAt = names.findIndex((n) => /^(phone|number|phone_number)$/i.test(n));
  if (phoneAt < 0) return { rows: [], errors: ["The first line must name the columns, one of them phone."] };
  if (lines.length > MAX_ROWS) return { rows: [], errors: [`At most ${MAX_ROWS} rows per campaign.`] };
  const zoneAt = names.findIndex((n) => /^timezone$/i.test(n));
  const rows: CampaignRowInput[] = [];
  for (const [i, line] of lines.entries()) {
    const lineNo = i + 2;
    const phone = parsePhone(line[phoneAt] ?? "");
    const zone = (zoneAt >= 0 && line[zoneAt]?.trim()) || defaultTimezone;
    if ("error" in phone) errors.push(`Line ${lineNo}: ${phone.error}`);
    else if (!isTimeZone(zone))
      errors.push(`Line ${lineNo}: "${zone}" is not a time zone (use names like America/Chicago).`);
    else {
      const variables = Object.fromEntries(
        names
          .map((n, c) => [n, line[c]?.trim() ?? ""])
          .filter(([n], c) => c !== phoneAt && c !== zoneAt && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n!)),
      );
      rows.push({
        phone: phone.e164,
        timezone: zone,
        variables,
        doNotCall: await isDoNotCall(t.db, t.pii, { tenantId, e164: phone.e164 }),
      });
    }
  }
  if (!lines.length) errors.push("The file has no rows under its header.");
  return { rows, errors };
}
