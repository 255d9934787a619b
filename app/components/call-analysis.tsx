type Analysis = {
  status: "completed" | "failed";
  summary: string | null;
  data: Record<string, unknown> | null;
  success: boolean | null;
  successReason: string | null;
  error: string | null;
  sandbox: boolean;
};

/** The post-call analysis on the call page: pending until the job has run. */
export function CallAnalysis({ analysis, ended }: { analysis: Analysis | null; ended: boolean }) {
  return (
    <section className="card" aria-label="Analysis">
      <h2>Analysis</h2>
      {!analysis && (
        <p role="status">{ended ? "Being analysed: the summary appears here shortly." : "Made once the call ends."}</p>
      )}
      {analysis?.status === "failed" && <p className="error">{analysis.error}</p>}
      {analysis?.status === "completed" && (
        <>
          {analysis.sandbox && (
            <p className="banner">SANDBOX: no model is configured, so this is a placeholder, not an analysis.</p>
          )}
          <p data-testid="call-summary">{analysis.summary}</p>
          {analysis.success !== null && (
            <p data-testid="call-success">
              <strong>{analysis.success ? "Successful" : "Not successful"}</strong>
              {analysis.successReason ? `: ${analysis.successReason}` : ""}
            </p>
          )}
          {analysis.data && (
            <dl data-testid="call-data">
              {Object.entries(analysis.data).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v === null ? "—" : String(v)}</dd>
                </div>
              ))}
            </dl>
          )}
        </>
      )}
    </section>
  );
}
