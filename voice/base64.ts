/**
 * Node's own base64 for audio frames (the relay runs only on Node): this runs 50 times a second
 * per call in each direction, and Buffer is several times faster than a JavaScript codec.
 */
export const fromBase64 = (payload: string) => {
  const b = Buffer.from(payload, "base64");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

export const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
