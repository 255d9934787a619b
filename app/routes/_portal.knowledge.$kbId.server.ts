import { data } from "@remix-run/node";
import { knowledgeFormAction } from "~/knowledge/knowledge-form.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";

/** The knowledge base page's actions (app/knowledge/knowledge-form.server.ts), as the route answers them. */
export async function knowledgeAction(request: Request, { tenantId, kbId }: { tenantId: string; kbId: string }) {
  const result = await knowledgeFormAction({ db: db(), pii: pii() }, request, { tenantId, kbId });
  if (result === null || result === "deleted") return result;
  return data({ error: result.error, added: result.added }, { status: result.status });
}
