import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { recordingRetention, setRecordingRetention } from "../../db/queries/recordings";

const schema = z.object({
  days: z.coerce.number().int("Whole days only").min(1, "At least 1 day").max(3650, "At most 3650 days (10 years)"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "recording:manage");
  return { days: await recordingRetention(db(), { tenantId }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "recording:manage");
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, saved: false }, { status: 400 });
  await setRecordingRetention(db(), { tenantId, days: parsed.data.days, actor });
  return { error: null, saved: true };
}

export default function RecordingSettings() {
  const { days } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Call recordings" />
      <p className="muted">
        Agents set to record have both sides of each phone call recorded. Recordings are stored encrypted and deleted
        when they are older than the period below; shortening it deletes older recordings at the next hourly sweep.
      </p>
      {r?.saved && <p role="status">Saved.</p>}
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <Form method="post" className="card">
        <label htmlFor="days">Keep recordings for (days)</label>
        <input id="days" name="days" type="number" min={1} max={3650} defaultValue={days} required />
        <Button type="submit" className="mt-3 mr-2">
          Save
        </Button>
      </Form>
    </>
  );
}
