import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { NumbersTable } from "~/components/numbers-table";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { CursorPager } from "~/components/ui/table";
import { buyNumber, importNumber, searchNumbers, TelephonyError } from "~/telephony/numbers.server";
import { telephony } from "~/telephony/telephony.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { idParam, listQuery, readingCursor } from "~/utils/list-query.server";
import { buySchema, importSchema, searchSchema } from "~/utils/number-form";
import { can } from "~/utils/permissions";
import { listAgents } from "../../db/queries/agents";
import { numberAllowance, numberSorts, pageNumbers } from "../../db/queries/phone-numbers";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "number:read");
  const params = new URL(request.url).searchParams;
  const { sort, dir, cursor } = listQuery(params, numberSorts, "created");
  const search = params.get("q")?.trim().slice(0, 64) || undefined;
  const agentId = idParam(params.get("agent"));
  const [page, allowance, agents] = await Promise.all([
    readingCursor(pageNumbers(db(), { tenantId, search, agentId, sort, dir, cursor })),
    numberAllowance(db(), { tenantId }),
    listAgents(db(), { tenantId }),
  ]);
  return {
    numbers: page.numbers.map(({ number: n, agentName }) => ({
      id: n.id,
      e164: n.e164,
      friendlyName: n.friendlyName,
      agentName,
      drift: n.configDrift ?? (n.configCheckedAt ? "OK" : "not checked"),
      createdAt: n.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
    filters: { q: search ?? "", agent: agentId ?? "" },
    sort,
    dir,
    allowance,
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
    canManage: can(role, "number:manage"),
    sandbox: !telephony().main,
  };
}

type Result = {
  errors?: Record<string, string | undefined> | null;
  problem?: string;
  found?: { e164: string; locality: string; region: string }[];
  added?: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, tenantName, actor } = await requirePermission(request, "number:manage");
  const form = await readForm(request);
  const intent = form.get("intent");
  const tenant = { tenantId, tenantName, actor };
  try {
    if (intent === "search") {
      const { data: q, errors } = parseForm(searchSchema, form);
      if (!q) return data<Result>({ errors }, { status: 400 });
      return data<Result>({ found: await searchNumbers(telephony(), q) });
    }
    if (intent === "buy") {
      const { data: input, errors } = parseForm(buySchema, form);
      if (!input) return data<Result>({ errors }, { status: 400 });
      const n = await buyNumber(telephony(), { ...tenant, ...input });
      return data<Result>({ added: n.e164 });
    }
    if (intent === "import") {
      const { data: input, errors } = parseForm(importSchema, form);
      if (!input) return data<Result>({ errors }, { status: 400 });
      const n = await importNumber(telephony(), { ...tenant, ...input });
      return data<Result>({ added: n.e164 });
    }
  } catch (err) {
    if (err instanceof TelephonyError) return data<Result>({ problem: err.message }, { status: 409 });
    throw err;
  }
  return data<Result>({ problem: "Unknown action." }, { status: 400 });
}

export default function Numbers() {
  const page = useLoaderData<typeof loader>();
  const { numbers, allowance, agents, canManage, sandbox } = page;
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state !== "idle";
  const field = (id: string) => result?.errors?.[id] && <p className="error">{result.errors[id]}</p>;
  const agentSelect = (
    <select name="agentId" defaultValue="" aria-label="Answered by">
      <option value="">No agent yet</option>
      {agents.map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <PageHeader title="Phone numbers" />
      <p data-testid="number-allowance">
        {allowance.held} of {allowance.max} numbers in use.
      </p>
      <p>
        <Link to="/calls/new">Call someone</Link> · <Link to="/numbers/do-not-call">Do-not-call list</Link>
      </p>
      {sandbox && <p className="banner">SANDBOX: no Twilio account is configured, so numbers cannot be bought here.</p>}
      {result?.problem && (
        <p className="banner" role="alert">
          {result.problem}
        </p>
      )}
      {result?.added && <p role="status">{result.added} is yours and ready for calls.</p>}
      <NumbersTable page={page} />
      {numbers.length === 0 &&
        (page.filters.q || page.filters.agent ? (
          <EmptyState
            title="No numbers match these filters"
            action={
              <Button asChild variant="secondary">
                <Link to="/numbers">Clear filters</Link>
              </Button>
            }
          />
        ) : (
          <EmptyState
            title="No numbers yet"
            action={
              canManage && !sandbox ? (
                <Button asChild>
                  <a href="#buy-number">Buy a number</a>
                </Button>
              ) : undefined
            }
          >
            A phone number lets people call your agent, and your agent call them.
          </EmptyState>
        ))}
      <CursorPager nextCursor={page.nextCursor} />
      {canManage && (
        <>
          <Form method="post" className="card" id="buy-number">
            <h2>Buy a number</h2>
            <input type="hidden" name="intent" value="search" />
            <label htmlFor="country">Country</label>
            <input id="country" name="country" defaultValue="US" maxLength={2} required />
            {field("country")}
            <label htmlFor="kind">Type</label>
            <select id="kind" name="kind" defaultValue="local">
              <option value="local">Local</option>
              <option value="tollFree">Toll-free</option>
              <option value="mobile">Mobile</option>
            </select>
            <label htmlFor="areaCode">Area code (optional)</label>
            <input id="areaCode" name="areaCode" inputMode="numeric" />
            {field("areaCode")}
            <label htmlFor="contains">Contains digits (optional)</label>
            <input id="contains" name="contains" inputMode="numeric" />
            {field("contains")}
            <button type="submit" disabled={busy}>
              Search
            </button>
          </Form>
          {result?.found && (
            <table data-testid="available-numbers">
              <thead>
                <tr>
                  <th>Available</th>
                  <th>Where</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.found.map((n) => (
                  <tr key={n.e164}>
                    <td>{n.e164}</td>
                    <td>{[n.locality, n.region].filter(Boolean).join(", ")}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="buy" />
                        <input type="hidden" name="e164" value={n.e164} />
                        {agentSelect}
                        <button type="submit" disabled={busy}>
                          Buy {n.e164}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Form method="post" className="card">
            <h2>Bring a number from your own Twilio account</h2>
            <input type="hidden" name="intent" value="import" />
            <label htmlFor="import-e164">The number (E.164)</label>
            <input id="import-e164" name="e164" type="tel" required />
            {field("e164")}
            <label htmlFor="accountSid">Twilio account SID</label>
            <input id="accountSid" name="accountSid" required autoComplete="off" />
            {field("accountSid")}
            <label htmlFor="authToken">Twilio auth token (stored encrypted)</label>
            <input id="authToken" name="authToken" type="password" required autoComplete="off" />
            {field("authToken")}
            {agentSelect}
            <button type="submit" disabled={busy}>
              Import number
            </button>
          </Form>
        </>
      )}
    </>
  );
}
