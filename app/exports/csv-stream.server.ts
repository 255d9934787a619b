import { csvLine } from "../../core/csv";
import { serviceLogger } from "../../core/telemetry";
import { EXPORT_BATCH_ROWS, type ExportPosition } from "../../db/queries/export-position";

export type CsvExport<R extends { id: string; position: string }> = {
  filename: string;
  header: string[];
  /** The rows after `after`, oldest first, at most EXPORT_BATCH_ROWS (one short transaction). */
  batch: (after: ExportPosition | undefined) => Promise<R[]>;
  line: (row: R) => string[];
  /** Counted up front over the same range: the client's progress total. */
  totalRows: number;
  /** The range's end as exported: later rows wait for the next export. */
  asOf: Date;
};

/**
 * A CSV download that streams in constant memory: the header, then one batch per read the client
 * makes (pull-based, so a slow reader holds the server to one batch ahead and no transaction stays
 * open between batches). A client that goes away cancels the stream and no further batch is read.
 */
export function csvResponse<R extends { id: string; position: string }>(x: CsvExport<R>) {
  const encoder = new TextEncoder();
  let after: ExportPosition | undefined;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(x.header)));
      },
      async pull(controller) {
        const rows = await x.batch(after).catch((err) => {
          // The response is already under way: the client sees a broken download; we say why here.
          serviceLogger("web").error({ err, file: x.filename }, "export stopped mid-stream");
          throw err;
        });
        if (cancelled) return;
        if (rows.length) controller.enqueue(encoder.encode(rows.map((r) => csvLine(x.line(r))).join("")));
        const last = rows.at(-1);
        if (!last || rows.length < EXPORT_BATCH_ROWS) controller.close();
        else after = { at: last.position, id: last.id };
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${x.filename}"`,
      "cache-control": "no-store",
      "x-total-rows": String(x.totalRows),
      "x-export-as-of": x.asOf.toISOString(),
    },
  });
}

/** The end of an export's range: never later than now, so the count up front and the rows agree. */
export const pinnedEnd = (to: Date, now = new Date()) => new Date(Math.min(to.getTime(), now.getTime()));
