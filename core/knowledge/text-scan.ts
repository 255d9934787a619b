/** Character classes (by UTF-16 code unit) and whitespace rules shared by the text scanners. */

/** JavaScript's `\s` (whitespace and line terminators). */
export const isWhitespace = (c: number) =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** JavaScript's `\w`: ASCII letters, digits and `_`. */
export const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Runs of spaces and tabs become one space, spaces around line breaks go, at most one blank line, trimmed. */
export function tidyWhitespace(text: string) {
  const out: string[] = [];
  let spaces = false;
  let breaks = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10) continue;
    if (from < i) {
      out.push(breaks ? (breaks > 1 ? "\n\n" : "\n") : spaces ? " " : "", text.slice(from, i));
      spaces = false;
      breaks = 0;
    }
    if (c === 10) breaks++;
    else spaces = true;
    from = i + 1;
  }
  if (from < text.length) out.push(breaks ? (breaks > 1 ? "\n\n" : "\n") : spaces ? " " : "", text.slice(from));
  return out.join("").trim();
}
