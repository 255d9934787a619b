/** Roughly a paragraph or two: small enough to be specific, large enough to carry an answer. */
const TARGET = 900;
const OVERLAP = 150;

/**
 * Splits a document into retrieval chunks at paragraph, then sentence, boundaries; a chunk carries
 * the end of the previous one so an answer straddling a boundary is still found whole. Every step
 * is a forward pass (linear in the text), and every character reaches some chunk.
 */
export function chunkText(text: string, target = TARGET, overlap = OVERLAP): string[] {
  const pieces = text
    .replace(/\r\n?/g, "\n")
    .split(BLANK_LINE)
    .flatMap((p) => (p.length <= target ? [p] : (p.match(SENTENCE) ?? [p])))
    .flatMap((p) => (p.length <= target ? [p] : slices(p, target)))
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (current && current.length + piece.length + 1 > target) {
      chunks.push(current);
      const tail = overlap > 0 ? current.slice(-overlap) : "";
      current = `${tail.slice(tail.indexOf(" ") + 1)} ${piece}`.trim();
    } else current = current ? `${current} ${piece}` : piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

/**
 * A blank line: a line break, spaces other than line breaks, a line break, then any whitespace.
 * Linear: the first class excludes the line break that must follow it, so an attempt can fail only
 * at the next line break, and attempts start only at line breaks.
 */
const BLANK_LINE = /\n[^\S\n]*\n\s*/;
/**
 * A sentence: text up to a run of `.`, `!` or `?`, closing quotes or brackets, the spaces after;
 * or the text left at the end. Adjacent classes are disjoint, so nothing backtracks but the last
 * run of the input, once; every character lands in some sentence.
 */
const SENTENCE = /[^.!?]*[.!?]+["')\]]*\s*|[^.!?]+$/g;

function slices(p: string, size: number) {
  const out: string[] = [];
  for (let i = 0; i < p.length; i += size) out.push(p.slice(i, i + size));
  return out;
}

/** The caller's words as an OR of keywords, safe to hand to to_tsquery (only letters and digits survive). */
export function keywordQuery(text: string) {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].slice(0, 32);
  return words.join(" | ");
}
