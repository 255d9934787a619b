import { Form, Link } from "@remix-run/react";
import { Badge, type BadgeTone } from "./ui/badge";
import { Button } from "./ui/button";
import { Field, Select } from "./ui/field";
import { DataTable, SortHeader } from "./ui/table";

type CampaignsPage = {
  campaigns: { id: string; name: string; status: string; createdAt: string; done: number; total: number }[];
  status: string;
  statuses: readonly string[];
  sort: string;
  dir: string;
};

const tone: Record<string, BadgeTone> = { running: "info", paused: "warn", cancelled: "neutral", completed: "ok" };

/** The campaigns list: a status filter and the page's campaigns, sortable by name, status and creation. */
export function CampaignsTable({ page }: { page: CampaignsPage }) {
  return (
    <>
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
        <Field label="Status" className="mt-0">
          {(control) => (
            <Select {...control} name="status" defaultValue={page.status}>
              <option value="">Any</option>
              {page.statuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <input type="hidden" name="sort" value={page.sort} />
        <input type="hidden" name="dir" value={page.dir} />
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      {page.campaigns.length > 0 && (
        <DataTable caption="Campaigns">
          <thead>
            <tr>
              <SortHeader column="name" label="Campaign" />
              <SortHeader column="status" label="Status" />
              <th>Progress</th>
              <SortHeader column="created" label="Created" />
            </tr>
          </thead>
          <tbody>
            {page.campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                </td>
                <td>
                  <Badge tone={tone[c.status] ?? "neutral"}>{c.status}</Badge>
                </td>
                <td>
                  <progress value={c.done} max={c.total} /> {c.done} of {c.total}
                </td>
                <td className="whitespace-nowrap">
                  {new Date(c.createdAt).toLocaleString("en-US", { timeZone: "UTC" })}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}
