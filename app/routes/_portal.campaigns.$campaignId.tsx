import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import { getCampaign, setCampaignStatus } from "../../db/queries/campaigns";

const notFound = () => new Response("Campaign not found", { status: 404 });
const intents = { pause: "paused", resume: "running", cancel: "cancelled" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "call:read");
  const campaign = await getCampaign(db(), pii(), { tenantId, id: requireIdParam(params, "campaignId", notFound) });
  if (!campaign) throw notFound();
  return { campaign, canPlace: can(role, "call:place") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:place");
  const id = requireIdParam(params, "campaignId", notFound);
  if (!(await getCampaign(db(), pii(), { tenantId, id }))) throw notFound();
  const intent = String((await readForm(request)).get("intent")) as keyof typeof intents;
  if (!(intent in intents)) return new Response("Unknown action", { status: 400 });
  await setCampaignStatus(db(), { tenantId, id, status: intents[intent] });
  return { ok: true };
}

export default function CampaignDetail() {
  const { campaign: c, canPlace } = useLoaderData<typeof loader>();
  const done = c.progress.total - c.progress.open;
  const button = (intent: keyof typeof intents, label: string) => (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit">{label}</button>
    </Form>
  );
  return (
    <>
      <p>
        <Link to="/campaigns">← Campaigns</Link>
      </p>
      <h1>{c.name}</h1>
      <p data-testid="campaign-status">Status: {c.status}</p>
      <p>
        <progress value={done} max={c.progress.total} aria-label="Progress" />{" "}
        <span data-testid="campaign-progress">
          {done} of {c.progress.total} done
        </span>
      </p>
      <p data-testid="campaign-answered-by">
        Answered by a person: {c.progress.answeredBy.human} · voicemail: {c.progress.answeredBy.voicemail} · call
        screening: {c.progress.answeredBy.screening}
        {c.progress.answeredBy.fax ? ` · fax: ${c.progress.answeredBy.fax}` : ""}
      </p>
      {canPlace && c.status === "running" && button("pause", "Pause")}
      {canPlace && c.status === "paused" && button("resume", "Resume")}
      {canPlace && (c.status === "running" || c.status === "paused") && button("cancel", "Cancel campaign")}
      <p>
        <a href={`/campaigns/${c.id}/export`} download>
          Export results (CSV)
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Number</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Answered by</th>
            <th>Call</th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={r.rowNumber}>
              <td>{r.rowNumber}</td>
              <td>{r.phone}</td>
              <td data-testid={`row-status-${r.rowNumber}`}>{r.status}</td>
              <td>{r.attempts}</td>
              <td data-testid={`row-answered-by-${r.rowNumber}`}>{r.result?.answeredBy ?? ""}</td>
              <td>{r.lastCallId ? <Link to={`/calls/${r.lastCallId}`}>view</Link> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
