/** Roughly a paragraph or two: small enough to be specific, large enough to carry an answer. */
const TARGET = 900;
const OVERLAP = 150;

/**
 * Splits a document into retrieval chunks at paragraph, then sentence, boundaries; a chunk carries
 * the end of the previous one so an answer straddling a boundary is still found whole.
 */
export function chunkText(text: string, target = TARGET, overlap = OVERLAP): string[] {
  const pieces = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .flatMap((p) => (p.length <= target ? [p] : (p.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [p])))
    .flatMap((p) => (p.length <= target ? [p] : (p.match(new RegExp(`[\\s\\S]{1,${target}}`, "g")) ?? [])))
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (current && current.length + piece.length + 1 > target) {
      chunks.push(current);
      const tail = current.slice(-overlap);
      current = `${tail.slice(tail.indexOf(" ") + 1)} ${piece}`.trim();
    } else current = current ? `${current} ${piece}` : piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Text from HTML: scripts, styles and tags removed, block ends as line breaks, entities decoded. */
export function htmlToText(html: string) {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return html
    .replace(/<(script|style|noscript|template)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<\/(p|div|section|article|li|h[1-6]|tr|br)\s*>|<br\s*\/?>/gi, "\n\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
      e[0] === "#" ? String.fromCodePoint(e[1]?.toLowerCase() === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))) : (entities[e.toLowerCase()] ?? m),
    )
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Markdown as plain text for retrieval: the words stay, the markup goes. */
export const markdownToText = (md: string) =>
  md
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ""))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/[*_`>]/g, "")
    .trim();

/** The caller's words as an OR of keywords, safe to hand to to_tsquery (only letters and digits survive). */
export function keywordQuery(text: string) {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].slice(0, 32);
  return words.join(" | ");
}
