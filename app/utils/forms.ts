import type { z } from "zod";

export type FieldErrors = Record<string, string | undefined>;

/** Validates a form with zod; on failure, one message per field, ready for the form to show. */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData, lists: string[] = []) {
  // `lists`: fields that may repeat (checkbox groups), read as arrays.
  const parsed = schema.safeParse({
    ...Object.fromEntries(form),
    ...Object.fromEntries(lists.map((l) => [l, form.getAll(l)])),
  });
  if (parsed.success) return { data: parsed.data as z.infer<S>, errors: null };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { data: null, errors };
}

type Problem = { code: string; path: PropertyKey[]; message: string };
export type FormWording = {
  /** The portal's own words for a problem, where they differ from the API's. */
  message?: (issue: { code: string; path: PropertyKey[] }) => string | undefined;
  /** The form's field (and words) for a problem found at a path of the resource's schema. */
  place?: (problem: Problem) => { path: PropertyKey[]; message: string };
};

/**
 * Inside a form schema's transform: checks what the form's fields map to against the resource's
 * own schema (core/), the one the API takes, so both refuse alike; problems land on the form's fields
 * (undefined then: the transform's result is refused).
 */
export function checkAs<S extends z.ZodType>(
  schema: S,
  input: unknown,
  ctx: z.RefinementCtx,
  wording: FormWording = {},
): z.output<S> | undefined {
  const parsed = schema.safeParse(input, {
    error: wording.message && ((iss) => wording.message!({ code: iss.code ?? "custom", path: iss.path ?? [] })),
  });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const placed = wording.place?.(issue) ?? issue;
    ctx.addIssue({ code: "custom", path: placed.path, message: placed.message });
  }
  return undefined;
}

/** Checks each of a form's own fields on its own, so one refused field still lets the rest be checked; a refused one reads undefined. */
export function checkFields<T extends Record<string, z.ZodType>>(
  shape: T,
  form: Record<string, unknown>,
  ctx: z.RefinementCtx,
) {
  const place = (field: string) => ({ place: ({ path, message }: Problem) => ({ path: [field, ...path], message }) });
  return Object.fromEntries(
    Object.entries(shape).map(([field, schema]) => [field, checkAs(schema, form[field], ctx, place(field))]),
  ) as { [K in keyof T]: z.output<T[K]> | undefined };
}

/** A textarea of entries one a line (or comma-separated), blank ones skipped; a value that is not text is left for the schema to refuse. */
export const listLines = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter(Boolean)
    : value;

/** A number field as `z.coerce.number()` reads it; absent, the default. */
export const numberField = (value: unknown, fallback?: number) => (value === undefined ? fallback : Number(value));
