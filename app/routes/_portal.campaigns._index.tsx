import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CampaignsTable } from "~/components/campaigns-table";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { CursorPager } from "~/components/ui/table";
import { VoicemailFields } from "~/components/voicemail-fields";
import { readCampaignCsv } from "~/telephony/campaign-csv.server";
import { telephony } from "~/telephony/telephony.server";
import { requirePermission } from "~/utils/auth.server";
import { campaignSchema } from "~/utils/campaign-form";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { type FieldErrors, parseForm } from "~/utils/forms";
import { listQuery, oneOf, readingCursor } from "~/utils/list-query.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import { listAgents } from "../../db/queries/agents";
import { CampaignInputError, campaignSorts, createCampaign, listCampaigns } from "../../db/queries/campaigns";
import { listNumbers } from "../../db/queries/phone-numbers";
import { campaignStatuses } from "../../db/schema";

const MAX_CSV_BYTES = 2 * 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "call:read");
  const params = new URL(request.url).searchParams;
  const { sort, dir, cursor } = listQuery(params, campaignSorts, "created");
  const status = oneOf(campaignStatuses, params.get("status"));
  const [page, agents, numbers] = await Promise.all([
    readingCursor(listCampaigns(db(), { tenantId, status, sort, dir, cursor })),
    listAgents(db(), { tenantId }),
    listNumbers(db(), { tenantId }),
  ]);
  return {
    campaigns: page.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      done: c.progress.total - c.progress.open,
      total: c.progress.total,
    })),
    nextCursor: page.nextCursor,
    status: status ?? "",
    statuses: campaignStatuses,
    sort,
    dir,
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
    numbers: numbers.map(({ number: n }) => ({ id: n.id, e164: n.e164 })),
    canPlace: can(role, "call:place"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:place");
  const form = await readForm(request, formLimits.campaignCsv);
  const { data: settings, errors } = parseForm(campaignSchema, form, ["fromNumberIds"]);
  const refuse = (errors: FieldErrors, lines: string[] = []) => data({ errors, lines }, { status: 400 });
  if (!settings) return refuse(errors);
  const file = form.get("csv");
  if (!(file instanceof File) || file.size === 0) return refuse({ csv: "Choose a CSV file with a phone column" });
  if (file.size > MAX_CSV_BYTES) return refuse({ csv: "The file is over 2 MB; split it into several campaigns" });
  const { rows, errors: lines } = await readCampaignCsv(telephony(), {
    tenantId,
    text: await file.text(),
    defaultTimezone: settings.defaultTimezone,
  });
  if (lines.length) return refuse({ csv: "The file has lines to fix; nothing was created" }, lines.slice(0, 50));
  try {
    const c = await createCampaign(db(), pii(), { tenantId, settings, rows });
    return redirect(`/campaigns/${c.id}`);
  } catch (err) {
    if (err instanceof CampaignInputError) return refuse({ agentId: err.message });
    throw err;
  }
}

export default function Campaigns() {
  const page = useLoaderData<typeof loader>();
  const { agents, numbers, canPlace } = page;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const field = (id: string) => result?.errors?.[id] && <p className="error">{result.errors[id]}</p>;
  return (
    <>
      <PageHeader title="Campaigns" description="Lists of people your agents call, at the times you allow." />
      <CampaignsTable page={page} />
      {page.campaigns.length === 0 &&
        (page.status ? (
          <EmptyState
            title="No campaigns match this status"
            action={
              <Button asChild variant="secondary">
                <Link to="/campaigns">Clear filters</Link>
              </Button>
            }
          />
        ) : (
          <EmptyState
            title="No campaigns yet"
            action={
              canPlace && numbers.length > 0 ? (
                <Button asChild>
                  <a href="#new-campaign">Create a campaign</a>
                </Button>
              ) : undefined
            }
          >
            A campaign calls everyone on a CSV list with one of your agents, within the hours you choose.
          </EmptyState>
        ))}
      <CursorPager nextCursor={page.nextCursor} />
      {canPlace &&
        (numbers.length === 0 ? (
          <p>
            You need a phone number to call from. Get one on the <Link to="/numbers">Numbers</Link> page.
          </p>
        ) : (
          <Form method="post" encType="multipart/form-data" className="card" id="new-campaign">
            <h2>New campaign</h2>
            <label htmlFor="name">Name</label>
            <input id="name" name="name" required maxLength={100} />
            {field("name")}
            <label htmlFor="csv">
              People to call (CSV: a phone column, an optional timezone column; other columns become {"{{variables}}"})
            </label>
            <input id="csv" name="csv" type="file" accept=".csv,text/csv" required />
            {field("csv")}
            {result?.lines?.length ? (
              <ul className="error" data-testid="csv-errors">
                {result.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : null}
            <label htmlFor="agentId">Agent</label>
            <select id="agentId" name="agentId">
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>Call from</legend>
              {numbers.map((n) => (
                <label key={n.id}>
                  <input type="checkbox" name="fromNumberIds" value={n.id} className="inline" defaultChecked /> {n.e164}
                </label>
              ))}
              {field("fromNumberIds")}
            </fieldset>
            <label htmlFor="windowStart">Call between (callee's local time)</label>
            <input id="windowStart" name="windowStart" type="time" defaultValue="09:00" />
            <label htmlFor="windowEnd">and</label>
            <input id="windowEnd" name="windowEnd" type="time" defaultValue="17:00" />
            {field("windowEnd")}
            <label htmlFor="defaultTimezone">Time zone for rows without one</label>
            <input id="defaultTimezone" name="defaultTimezone" defaultValue="America/New_York" />
            {field("defaultTimezone")}
            <label htmlFor="callsPerMinute">Calls per minute</label>
            <input id="callsPerMinute" name="callsPerMinute" type="number" min={1} max={60} defaultValue={10} />
            <label htmlFor="maxConcurrent">Calls at the same time</label>
            <input id="maxConcurrent" name="maxConcurrent" type="number" min={1} max={50} defaultValue={5} />
            <label htmlFor="maxAttempts">Attempts per person (busy or no answer)</label>
            <input id="maxAttempts" name="maxAttempts" type="number" min={1} max={5} defaultValue={2} />
            <label htmlFor="retryDelayMinutes">Minutes before trying again</label>
            <input id="retryDelayMinutes" name="retryDelayMinutes" type="number" min={1} max={1440} defaultValue={60} />
            <VoicemailFields error={result?.errors?.voicemailMessage} />
            <button type="submit" disabled={busy}>
              Start campaign
            </button>
          </Form>
        ))}
    </>
  );
}
