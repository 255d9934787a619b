import { z } from "zod";

const shape = z.object({ at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), id: z.uuid() });

/** An opaque page cursor: the position (time to the microsecond, and id) of the last item shown. */
export const encodeCursor = (c: { at: string; id: string }) =>
  Buffer.from(JSON.stringify({ at: c.at, id: c.id })).toString("base64url");

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { at: string; id: string } | null {
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
