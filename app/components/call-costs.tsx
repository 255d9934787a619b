import { DataTable } from "./ui/table";

type Costs = {
  lines: { key: string; label: string; detail: string; amount: string }[];
  total: string | null;
  apart: number;
};

/** The call's cost, line by line, with their total. */
export function CallCosts({ costs }: { costs: Costs }) {
  if (!costs.lines.length)
    return <p className="text-sm text-muted">Not billed yet: costs appear once the call ends.</p>;
  return (
    <DataTable caption="Cost breakdown" className="text-sm">
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col" className="text-right">
            Amount
          </th>
        </tr>
      </thead>
      <tbody data-testid="cost-lines">
        {costs.lines.map((l) => (
          <tr key={l.key}>
            <td>
              {l.label}
              <span className="block text-xs text-muted">{l.detail}</span>
            </td>
            <td className="text-right tabular-nums" data-testid={`cost-${l.key}`}>
              {l.amount}
            </td>
          </tr>
        ))}
      </tbody>
      {costs.total && (
        <tfoot>
          <tr>
            <th scope="row">Total{costs.apart ? " (other currencies apart)" : ""}</th>
            <td className="text-right font-semibold tabular-nums" data-testid="cost-total">
              {costs.total}
            </td>
          </tr>
        </tfoot>
      )}
    </DataTable>
  );
}
