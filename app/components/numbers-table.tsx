import { Form, Link } from "@remix-run/react";
import { Badge } from "./ui/badge";
import { Button } from "./ui/button";
import { Field, Input, Select } from "./ui/field";
import { DataTable, SortHeader } from "./ui/table";

type NumbersPage = {
  numbers: {
    id: string;
    e164: string;
    friendlyName: string | null;
    agentName: string | null;
    drift: string;
    createdAt: string;
  }[];
  agents: { id: string; name: string }[];
  filters: { q: string; agent: string };
  sort: string;
  dir: string;
};

/** The numbers list: search by digits or name, filter by agent, sort by number or when it was added. */
export function NumbersTable({ page }: { page: NumbersPage }) {
  return (
    <>
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
        <Field label="Number or name" className="mt-0">
          {(control) => <Input {...control} name="q" type="search" defaultValue={page.filters.q} maxLength={64} />}
        </Field>
        <Field label="Agent" className="mt-0">
          {(control) => (
            <Select {...control} name="agent" defaultValue={page.filters.agent}>
              <option value="">Any agent</option>
              {page.agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <input type="hidden" name="sort" value={page.sort} />
        <input type="hidden" name="dir" value={page.dir} />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </Form>
      {page.numbers.length > 0 && (
        <DataTable caption="Phone numbers">
          <thead>
            <tr>
              <SortHeader column="number" label="Number" />
              <th>Name</th>
              <th>Answered by</th>
              <th>Twilio setup</th>
              <SortHeader column="created" label="Added" />
            </tr>
          </thead>
          <tbody>
            {page.numbers.map((n) => (
              <tr key={n.id}>
                <td>
                  <Link to={`/numbers/${n.id}`}>{n.e164}</Link>
                </td>
                <td>{n.friendlyName ?? ""}</td>
                <td>{n.agentName ?? <span className="text-muted">nobody</span>}</td>
                <td data-testid={`drift-${n.e164}`}>
                  <Badge tone={n.drift === "OK" ? "ok" : n.drift === "not checked" ? "neutral" : "warn"}>
                    {n.drift}
                  </Badge>
                </td>
                <td className="whitespace-nowrap">{new Date(n.createdAt).toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}
