import type { Params } from "@remix-run/react";
import { z } from "zod";

// The same test as the API's path ids (app/api/schemas IdParam): one notion of "an id".
const uuid = z.uuid();

/** A uuid, the only thing our ids are: anything else (from a URL or a form) names nothing. */
export const isId = (value: unknown): value is string => uuid.safeParse(value).success;

const defaultNotFound = () => new Response("Not found", { status: 404 });

/**
 * The route's `name` parameter as an id, or a thrown 404: a malformed id names nothing, as an
 * unknown one does. Checked here, once, a lookup only ever runs with an id Postgres takes, so it
 * needs no catch, and a database that fails stays a server error rather than "not found".
 */
export function requireIdParam(params: Params, name: string, notFound: () => Response = defaultNotFound): string {
  const value = params[name];
  if (!isId(value)) throw notFound();
  return value;
}
