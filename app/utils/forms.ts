import type { z } from "zod";

export type FieldErrors = Record<string, string | undefined>;

/** Validates a form with zod; on failure, one message per field, ready for the form to show. */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData, lists: string[] = []) {
  // `lists`: fields that may repeat (checkbox groups), read as arrays.
  const parsed = schema.safeParse({ ...Object.fromEntries(form), ...Object.fromEntries(lists.map((l) => [l, form.getAll(l)])) });
  if (parsed.success) return { data: parsed.data as z.infer<S>, errors: null };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { data: null, errors };
}
