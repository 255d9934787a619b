import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { listAudit } from "../../db/queries/audit";
import { listMembers } from "../../db/queries/members";

const categories = ["auth", "member", "api_key", "agent", "number", "webhook"] as const;
const filters = z.object({
  category: z.enum(categories).optional().catch(undefined),
  actor: z.uuid().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "audit:read");
  const f = filters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const to = f.to ? new Date(`${f.to}T00:00:00Z`) : undefined;
  const rows = await listAudit(db(), {
    tenantId,
    action: f.category ? `${f.category}.` : undefined,
    actorUserId: f.actor,
    from: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
    to: to ? new Date(to.getTime() + 86_400_000) : undefined,
  });
  const members = await listMembers(db(), { tenantId });
  return {
    filters: f,
    members: members.map((m) => ({ id: m.userId, email: m.email })),
    rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

export default function AuditLog() {
  const { rows, members, filters: f } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Audit log" />
      <Form method="get" className="filters">
        <label htmlFor="category">Kind</label>
        <select id="category" name="category" defaultValue={f.category ?? ""}>
          <option value="">All</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label htmlFor="actor">Who</label>
        <select id="actor" name="actor" defaultValue={f.actor ?? ""}>
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.email}
            </option>
          ))}
        </select>
        <label htmlFor="from">From</label>
        <input id="from" name="from" type="date" defaultValue={f.from ?? ""} />
        <label htmlFor="to">To</label>
        <input id="to" name="to" type="date" defaultValue={f.to ?? ""} />
        <Button type="submit" className="mt-3 mr-2">
          Filter
        </Button>
      </Form>
      <DataTable caption="Audit log">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Target</th>
            <th>IP</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>{r.actorEmail ?? "—"}</td>
              <td>{r.action}</td>
              <td>{r.targetType ? `${r.targetType} ${r.targetId?.slice(0, 8)}` : ""}</td>
              <td>{r.ip}</td>
              <td>
                <code>{Object.keys(r.metadata).length ? JSON.stringify(r.metadata) : ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </>
  );
}
