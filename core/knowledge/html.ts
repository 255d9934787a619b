import { isWordChar, tidyWhitespace } from "./text-scan";

/**
 * HTML as plain text for retrieval, in one pass over the input. Every search moves forward (an
 * `indexOf` starting after the previous result, or a loop over characters), so the work is linear
 * in the input's length whatever it holds; no regular expression touches user content here.
 */

/** Elements whose content is not text (a browser reads it as code or hides it). */
const SKIPPED = new Set(["script", "style", "noscript", "template"]);
/** Tags after which the text continues on a new paragraph. */
const BLOCK_ENDS = new Set(["p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br"]);
const NAMED = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
  ["nbsp", " "],
]);
const REPLACEMENT = "\uFFFD";

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** HTML's whitespace (space, tab, LF, FF, CR). */
const isHtmlSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** Text from HTML: scripts, styles, comments and tags removed, block ends as line breaks, entities decoded. */
export function htmlToText(html: string) {
  const out: string[] = [];
  const n = html.length;
  let text = 0; // where the text not yet written out starts
  for (let lt = html.indexOf("<"); lt !== -1; lt = html.indexOf("<", Math.max(lt + 1, text))) {
    const next = html.charCodeAt(lt + 1);
    let end: number;
    let gap = " ";
    if (html.startsWith("<!--", lt)) end = after(html, "-->", lt + 4);
    else if (next === 33 || next === 63 || (next === 47 && !isLetter(html.charCodeAt(lt + 2)))) {
      end = after(html, ">", lt + 2); // <!DOCTYPE …>, <![CDATA[…]>, <?…>, </ …>: one bogus comment each
    } else if (next === 47) {
      const name = tagName(html, lt + 2);
      end = after(html, ">", lt + 2 + name.length);
      if (BLOCK_ENDS.has(name)) gap = "\n\n";
    } else if (isLetter(next)) {
      const name = tagName(html, lt + 1);
      end = tagEnd(html, lt + 1 + name.length);
      if (SKIPPED.has(name)) end = closingTagEnd(html, name, end);
      if (name === "br") gap = "\n\n";
    } else continue; // a `<` that starts no tag is text, as in a browser
    out.push(decodeEntities(html.slice(text, lt)), gap);
    text = end;
  }
  if (text < n) out.push(decodeEntities(html.slice(text)));
  return tidyWhitespace(out.join(""));
}

/** The index just past the next `needle` at or after `from`; the end of the input if there is none (an unclosed construct runs to the end, as in a browser). */
function after(s: string, needle: string, from: number) {
  const at = s.indexOf(needle, from);
  return at === -1 ? s.length : at + needle.length;
}

function tagName(s: string, from: number) {
  let end = from;
  while (end < s.length && (isWordChar(s.charCodeAt(end)) || s.charCodeAt(end) === 45)) end++;
  return s.slice(from, end).toLowerCase();
}

/**
 * Past the `>` that ends a start tag: a quoted attribute value may hold `>`. A quote that never
 * closes means no such quote exists further on, so the fallback search happens once per kind of quote.
 */
function tagEnd(s: string, from: number) {
  let afterEquals = false;
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 62) return j + 1;
    if ((c === 34 || c === 39) && afterEquals) {
      const close = s.indexOf(c === 34 ? '"' : "'", j + 1);
      if (close === -1) return after(s, ">", j + 1);
      j = close;
      afterEquals = false;
    } else if (c === 61) afterEquals = true;
    else if (!isHtmlSpace(c)) afterEquals = false;
  }
  return s.length;
}

/** Past `</name …>` (any case); the end of the input when the element is never closed. */
function closingTagEnd(s: string, name: string, from: number) {
  for (let k = s.indexOf("</", from); k !== -1; k = s.indexOf("</", k + 2)) {
    const end = k + 2 + name.length;
    if (s.slice(k + 2, end).toLowerCase() === name && !isWordChar(s.charCodeAt(end))) return after(s, ">", end);
  }
  return s.length;
}

/** `&name;`, `&#123;` and `&#x1F600;`; a number outside Unicode's scalar values (or a surrogate, or 0) is U+FFFD. */
export function decodeEntities(text: string) {
  const out: string[] = [];
  let i = 0;
  for (let amp = text.indexOf("&"); amp !== -1; amp = text.indexOf("&", amp + 1)) {
    const entity = readEntity(text, amp + 1);
    if (!entity) continue;
    out.push(text.slice(i, amp), entity.value);
    i = entity.end;
    amp = i - 1;
  }
  if (!out.length) return text;
  out.push(text.slice(i));
  return out.join("");
}

function readEntity(s: string, from: number): { value: string; end: number } | null {
  if (s.charCodeAt(from) === 35) {
    const hex = (s.charCodeAt(from + 1) | 32) === 120;
    const start = from + (hex ? 2 : 1);
    let end = start;
    let code = 0;
    for (; end < s.length && (hex ? isHexDigit(s.charCodeAt(end)) : isDigit(s.charCodeAt(end))); end++) {
      code = Math.min(code * (hex ? 16 : 10) + Number.parseInt(s[end]!, 16), 0x110000); // saturates: any longer number is out of range too
    }
    if (end === start || s.charCodeAt(end) !== 59) return null;
    const scalar = code > 0 && code < 0x110000 && (code < 0xd800 || code > 0xdfff);
    return { value: scalar ? String.fromCodePoint(code) : REPLACEMENT, end: end + 1 };
  }
  let end = from;
  while (end < s.length && isWordChar(s.charCodeAt(end))) end++;
  if (end === from || s.charCodeAt(end) !== 59) return null;
  const value = NAMED.get(s.slice(from, end).toLowerCase());
  return value === undefined ? null : { value, end: end + 1 };
}
