import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { VoicemailFields } from "~/components/voicemail-fields";
import { TelephonyError } from "~/telephony/numbers.server";
import { startOutboundCall } from "~/telephony/outbound.server";
import { telephony } from "~/telephony/telephony.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { outboundSchema } from "~/utils/number-form";
import { outboundCallLimits } from "../../core/outbound-call-limits";
import { listAgents } from "../../db/queries/agents";
import { listNumbers } from "../../db/queries/phone-numbers";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:place");
  const [numbers, agents] = await Promise.all([listNumbers(db(), { tenantId }), listAgents(db(), { tenantId })]);
  return {
    numbers: numbers.map(({ number: n }) => ({ id: n.id, e164: n.e164, name: n.friendlyName })),
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:place");
  const { data: input, errors } = parseForm(outboundSchema, await readForm(request));
  if (!input) return data({ errors, problem: null }, { status: 400 });
  try {
    const placed = await startOutboundCall(telephony(), { tenantId, ...input });
    return redirect(`/calls/${placed.callId}`);
  } catch (err) {
    if (err instanceof TelephonyError) return data({ errors: null, problem: err.message }, { status: 409 });
    throw err;
  }
}

export default function NewCall() {
  const { numbers, agents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const field = (id: string) => result?.errors?.[id] && <p className="error">{result.errors[id]}</p>;
  if (!numbers.length)
    return (
      <>
        <h1>Call someone</h1>
        <p>You need a phone number to call from. Get one on the Numbers page.</p>
      </>
    );
  return (
    <>
      <h1>Call someone</h1>
      {result?.problem && (
        <p className="banner" role="alert">
          {result.problem}
        </p>
      )}
      <Form method="post" className="card">
        <label htmlFor="to">Number to call</label>
        <input id="to" name="to" type="tel" placeholder="+14155550100" maxLength={outboundCallLimits.to} required />
        {field("to")}
        <label htmlFor="fromNumberId">Call from</label>
        <select id="fromNumberId" name="fromNumberId">
          {numbers.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name && n.name !== n.e164 ? `${n.name} (${n.e164})` : n.e164}
            </option>
          ))}
        </select>
        {field("fromNumberId")}
        <label htmlFor="agentId">Agent</label>
        <select id="agentId" name="agentId">
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        {field("agentId")}
        <label htmlFor="variables">
          Variables for this call, one per line (name = value), used as {"{{name}}"} in the prompt and first message
        </label>
        <textarea id="variables" name="variables" rows={3} placeholder="name = Ada" />
        {field("variables")}
        <VoicemailFields error={result?.errors?.voicemailMessage} />
        <button type="submit" disabled={busy}>
          Place call
        </button>
      </Form>
    </>
  );
}
