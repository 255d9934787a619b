type Line = { speaker: string; text: string };

/** Groups a transcript into the agent's words before the first caller line, then after each one. */
const answers = (t: Line[]) => {
  const groups: string[][] = [[]];
  for (const l of t) {
    if (l.speaker === "caller") groups.push([]);
    else if (l.speaker === "agent") groups.at(-1)!.push(l.text);
  }
  return groups;
};

/** A replayed call beside the original: the same caller lines, each agent version's answers. */
export function ReplayComparison({
  original,
  replay,
  callerLines,
  versions,
}: {
  original: Line[];
  replay: Line[];
  callerLines: string[];
  versions: [string, string];
}) {
  const [a, b] = [answers(original), answers(replay)];
  return (
    <table data-testid="replay-comparison">
      <thead>
        <tr>
          <th>Caller</th>
          <th>{versions[0]}</th>
          <th>{versions[1]}</th>
        </tr>
      </thead>
      <tbody>
        {["(greeting)", ...callerLines].map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same caller line can repeat; its place identifies it
          <tr key={i}>
            <td>{line}</td>
            <td>{a[i]?.join(" ") ?? ""}</td>
            <td>{b[i]?.join(" ") ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
