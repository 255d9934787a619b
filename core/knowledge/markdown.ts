import { isWhitespace, isWordChar } from "./text-scan";

/**
 * Markdown as plain text for retrieval: the words stay, the markup goes. Each step is one forward
 * pass (the same output as the regular expressions they replace, which backtracked quadratically
 * on inputs such as `"[".repeat(n)`): fenced code keeps its content, images their alt text, links
 * their label, headings lose their `#`s, and emphasis, code and quote marks go.
 */
export const markdownToText = (md: string) =>
  stripMarks(stripHeadings(replaceLinks(replaceLinks(stripFences(md), "!["), "["))).trim();

const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** ```` ```lang … ``` ```` becomes its content; a fence never closed stays as it is. */
function stripFences(md: string) {
  const out: string[] = [];
  let i = 0;
  for (let open = md.indexOf("```"); open !== -1; open = md.indexOf("```", i)) {
    const close = md.indexOf("```", open + 3);
    if (close === -1) break;
    let body = open + 3;
    while (body < close && isWordChar(md.charCodeAt(body))) body++;
    out.push(md.slice(i, open), md.slice(body, close));
    i = close + 3;
  }
  out.push(md.slice(i));
  return out.join("");
}

/**
 * `![alt](url)` becomes `alt` (`opener` "![") and `[label](url)` becomes `label` (opener "[", the
 * label not empty). The label runs to the first `]`, the url to the first `)`. The next `]` and `)`
 * are remembered: the openers only move forward, so each is searched for from where it was last
 * found, and once none is left no later opener can match either.
 */
function replaceLinks(s: string, opener: "![" | "[") {
  const out: string[] = [];
  const close = nextOf(s, "]");
  const paren = nextOf(s, ")");
  let i = 0;
  for (let open = s.indexOf(opener); open !== -1; open = s.indexOf(opener, open + 1)) {
    const label = open + opener.length;
    const end = close(label);
    if (end === -1) break;
    if ((opener === "[" && end === label) || s.charCodeAt(end + 1) !== 40) continue;
    const urlEnd = paren(end + 2);
    if (urlEnd === -1) break;
    out.push(s.slice(i, open), s.slice(label, end));
    i = urlEnd + 1;
    open = urlEnd; // the search resumes after the match, as a global regular expression does
  }
  out.push(s.slice(i));
  return out.join("");
}

/** The first `char` at or after `from`, for calls whose `from` never decreases. */
function nextOf(s: string, char: string) {
  let found = -2;
  return (from: number) => {
    if (found !== -1 && found < from) found = s.indexOf(char, from);
    return found;
  };
}

/** One to six `#`s and the whitespace after them, at the start of a line. */
function stripHeadings(s: string) {
  const out: string[] = [];
  let i = 0;
  let line = 0;
  while (line < s.length) {
    let h = line;
    while (s.charCodeAt(h) === 35) h++;
    if (h > line && h - line <= 6 && isWhitespace(s.charCodeAt(h))) {
      let end = h;
      while (end < s.length && isWhitespace(s.charCodeAt(end))) end++;
      out.push(s.slice(i, line));
      i = end;
      if (isLineBreak(s.charCodeAt(end - 1))) {
        line = end; // the whitespace ended a line: the next line starts right here
        continue;
      }
      h = end;
    }
    while (h < s.length && !isLineBreak(s.charCodeAt(h))) h++;
    line = h + 1;
  }
  out.push(s.slice(i));
  return out.join("");
}

/** Emphasis, inline code and quote marks: a single-character class, so the expression is linear. */
const stripMarks = (s: string) => s.replace(/[*_`>]/g, "");
