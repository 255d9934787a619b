/** Every stored embedding has this many dimensions (the migration's vector column says the same). */
export const EMBEDDING_DIMENSIONS = 512;

export type Embedder = { sandbox: boolean; model: string; embed(texts: string[]): Promise<number[][]> };

export const normalize = (v: number[]) => {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
};

function fnv1a(text: string) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * SANDBOX embeddings for `npm run dev` with no OpenAI key, labelled as such: hashed character
 * trigrams of each word (feature hashing), so shared words and word stems score as similar.
 */
export const sandboxEmbedder: Embedder = {
  sandbox: true,
  model: "sandbox-hashed-trigrams",
  async embed(texts) {
    return texts.map((text) => {
      const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
      for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        const padded = ` ${word} `;
        for (let i = 0; i + 3 <= padded.length; i++) {
          const h = fnv1a(padded.slice(i, i + 3));
          v[h % EMBEDDING_DIMENSIONS]! += h & 0x80000000 ? -1 : 1;
        }
      }
      return normalize(v);
    });
  },
};
