export type LineChange = { kind: "same" | "added" | "removed"; text: string };
export type FieldChange = { field: string; before: unknown; after: unknown; lines?: LineChange[] };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Line-by-line difference of two texts (longest common subsequence), the way a code review shows
 * it. Prompts are at most a few hundred lines, so the quadratic table is fine.
 */
export function lineDiff(before: string, after: string): LineChange[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      out.push({ kind: "removed", text: a[i++]! });
    else out.push({ kind: "added", text: b[j++]! });
  }
  return out;
}

/** The settings that differ between two versions; multi-line texts also get a line diff. */
export function diffSettings(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => !same(before[field], after[field]))
    .map((field) => {
      const [b, a] = [before[field], after[field]];
      const multiline = typeof b === "string" && typeof a === "string" && (b.includes("\n") || a.includes("\n"));
      return { field, before: b, after: a, ...(multiline ? { lines: lineDiff(b, a) } : {}) };
    });
}
