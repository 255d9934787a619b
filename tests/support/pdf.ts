import { constants, deflateRawSync, deflateSync } from "node:zlib";

/** A PDF of `objects` (object 1 is the catalog), with its cross-reference table: header, objects, xref, trailer. */
export function pdfOf(objects: (string | Uint8Array)[]) {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode("%PDF-1.4\n")];
  let length = parts[0]!.length;
  const offsets = objects.map((o, i) => {
    const at = length;
    for (const p of [
      enc.encode(`${i + 1} 0 obj\n`),
      typeof o === "string" ? enc.encode(o) : o,
      enc.encode("\nendobj\n"),
    ]) {
      parts.push(p);
      length += p.length;
    }
    return at;
  });
  const rows = offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  parts.push(
    enc.encode(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}

/** A stream object: its dictionary entries, then the bytes. */
export function streamOf(bytes: Uint8Array | string, entries = "") {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return new Uint8Array(
    Buffer.concat([Buffer.from(`<< /Length ${data.length} ${entries} >>\nstream\n`), data, Buffer.from("\nendstream")]),
  );
}

const catalog = "<< /Type /Catalog /Pages 2 0 R >>";
const font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
const page = (resources = "<< /Font << /F1 5 0 R >> >>") =>
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources ${resources} >>`;

/** A one-page PDF whose text layer says `text`. */
export const pdfWithText = (text: string) =>
  pdfOf([
    catalog,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    page(),
    streamOf(`BT /F1 18 Tf 72 720 Td (${text}) Tj ET`),
    font,
  ]);

/**
 * A deflate bomb: a page whose content, Flate-encoded twice, is `gigabytes` GB of spaces in a few kB.
 * The inner stream is one deflated megabyte, flushed to a byte boundary, repeated (deflate blocks
 * concatenate), then a final empty block; the outer layer deflates that repetition away.
 */
export function deflateBombPdf(gigabytes = 1) {
  const megabyte = deflateRawSync(Buffer.alloc(1 << 20, 32), { finishFlush: constants.Z_FULL_FLUSH });
  const inner = Buffer.concat([
    Buffer.from([0x78, 0x01]),
    ...Array.from({ length: 1024 * gigabytes }, () => megabyte),
    Buffer.from([0x03, 0x00, 0, 0, 0, 0]),
  ]);
  return pdfOf([
    catalog,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    page(),
    streamOf(deflateSync(inner), "/Filter [/FlateDecode /FlateDecode]"),
    font,
  ]);
}

/** A PDF claiming `pages` pages: the page tree lists the one page that many times. */
export const manyPagesPdf = (pages: number) =>
  pdfOf([
    catalog,
    `<< /Type /Pages /Kids [${"3 0 R ".repeat(pages)}] /Count ${pages} >>`,
    page(),
    streamOf("BT /F1 18 Tf 72 720 Td (page) Tj ET"),
    font,
  ]);

/**
 * A PDF that keeps the parser busy for days: form XObjects nested `depth` deep, each drawing the
 * one below it `fanout` times, the deepest showing one letter (fanout^depth letters; pdf.js skips
 * forms that show nothing, so the letter is needed).
 */
export function nestedFormsPdf(depth = 9, fanout = 10) {
  const resources = (level: number) => `<< /Font << /F1 5 0 R >> /XObject << /X ${6 + level - 1} 0 R >> >>`;
  const forms = Array.from({ length: depth }, (_, level) =>
    streamOf(
      level === 0 ? "BT /F1 12 Tf (x) Tj ET" : "/X Do ".repeat(fanout),
      `/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources ${level === 0 ? "<< /Font << /F1 5 0 R >> >>" : resources(level)}`,
    ),
  );
  return pdfOf([
    catalog,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    page(resources(depth)),
    streamOf("/X Do ".repeat(fanout)),
    font,
    ...forms,
  ]);
}
