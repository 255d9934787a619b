/**
 * Cuts streamed text into sentences as soon as each one ends, so speech can start on the first
 * sentence of a reply instead of waiting for all of it. The rest comes out when the stream ends.
 */
export async function* sentences(deltas: AsyncIterable<string>): AsyncIterable<string> {
  let buffer = "";
  for await (const delta of deltas) {
    buffer += delta;
    for (let end = sentenceEnd(buffer); end > 0; end = sentenceEnd(buffer)) {
      const sentence = buffer.slice(0, end).trim();
      buffer = buffer.slice(end);
      if (sentence) yield sentence;
    }
  }
  if (buffer.trim()) yield buffer.trim();
}

/** Index just past the first sentence end (., !, ? or … followed by a space), or 0. */
function sentenceEnd(text: string) {
  const m = /[.!?…]+["')\]]?\s/.exec(text);
  return m ? m.index + m[0].length : 0;
}
