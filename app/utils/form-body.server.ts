import { BodyTimedOut, BodyTooLarge, readCapped } from "../../core/read-capped";

const KiB = 1024;
const MiB = 1024 * KiB;

export type FormLimit = { bytes: number; seconds: number; label: string };

/** How large each kind of form may be, and how long it may take to arrive (docs/decisions/0025). */
export const formLimits = {
  /** Sign-in, sign-up, reset, codes, invitations: small forms that anyone may post. */
  auth: { bytes: 16 * KiB, seconds: 10, label: "16 KB" },
  /** Every other page's form; an agent's (a 20,000-character prompt, tools as JSON) is the largest. */
  page: { bytes: 256 * KiB, seconds: 30, label: "256 KB" },
  /** A campaign's CSV file (up to 2 MB) with the campaign's settings. */
  campaignCsv: { bytes: 2 * MiB + 64 * KiB, seconds: 120, label: "2 MB" },
} as const satisfies Record<string, FormLimit>;

const formTypes = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

// The rest of the body is not read: the connection closes rather than draining it.
const refuse = (status: number, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8", connection: "close" } });

/**
 * The one way a portal route reads its form. The size is checked before anything is buffered: a
 * Content-Length over the limit is refused at once, and the bytes are counted as they stream (a
 * body without the header, or longer than it claims, is cut off at the limit). Throws a Response:
 * 413 too large, 408 too slow, 415 not a form, 400 unreadable.
 */
export async function readForm(request: Request, limit: FormLimit = formLimits.page): Promise<FormData> {
  const tooLarge = () => refuse(413, `This form is too large: at most ${limit.label} can be sent here.`);
  const declared = request.headers.get("content-length");
  if (declared !== null && !/^\d+$/.test(declared.trim()))
    throw refuse(400, "The request's Content-Length is not a number.");
  if (declared !== null && Number(declared) > limit.bytes) throw tooLarge();
  const type = request.headers.get("content-type") ?? "";
  if (!formTypes.test(type))
    throw refuse(415, "Send this as a form (application/x-www-form-urlencoded or multipart/form-data).");
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(request.body, { maxBytes: limit.bytes, deadlineMs: limit.seconds * 1000 });
  } catch (err) {
    if (err instanceof BodyTooLarge) throw tooLarge();
    if (err instanceof BodyTimedOut) throw refuse(408, "The form took too long to arrive. Try again.");
    throw refuse(400, "The form could not be read.");
  }
  try {
    return await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
  } catch {
    throw refuse(400, "The form could not be read.");
  }
}
