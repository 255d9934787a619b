/** A fixed stand-in origin: only where a path leads matters, never which host serves it. */
const ORIGIN = "https://portal.invalid";
// C0 controls (browsers drop tab and newlines from URLs, so `/\t/host` becomes `//host`), DEL and
// backslashes (browsers read `/\host` as `//host`).
const unsafe = (to: string) => [...to].some((ch) => ch <= "\u001f" || ch === "\u007f" || ch === "\\");

/**
 * `to` if it is a path on this site, else `fallback`. A path starts with one `/`; it is parsed as
 * browsers parse it (WHATWG URL) against a fixed origin and kept only if the origin is unchanged.
 * The input itself is returned, not the parser's normalisation, which could start with `//`.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/home") {
  if (typeof to !== "string" || to.length > 2048 || !to.startsWith("/") || to.startsWith("//") || unsafe(to))
    return fallback;
  try {
    return new URL(to, ORIGIN).origin === ORIGIN ? to : fallback;
  } catch {
    return fallback;
  }
}
