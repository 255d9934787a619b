import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { testCaseForm } from "~/utils/test-case-form";
import { createRun, getSuite, setSuiteCases } from "../../db/queries/test-suites";

/** The suite page's actions: add or remove a case, start a run against a version. */
export async function suiteAction(form: FormData, { tenantId, suiteId }: { tenantId: string; suiteId: string }) {
  const suite = await getSuite(db(), { tenantId, id: suiteId });
  if (!suite) return null;
  const intent = form.get("intent");
  if (intent === "remove-case") {
    await setSuiteCases(db(), {
      tenantId,
      id: suite.id,
      cases: suite.cases.filter((c) => c.id !== form.get("caseId")),
    });
    return { errors: null };
  }
  if (intent === "run") {
    const version = z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .safeParse(form.get("version") || undefined);
    const run = await createRun(db(), {
      tenantId,
      agentId: suite.agentId,
      suiteId: suite.id,
      version: version.success ? version.data : undefined,
    });
    if (!run) return data({ errors: { version: "No such version of this agent" } }, { status: 400 });
    return redirect(`/runs/${run.id}`);
  }
  const { data: added, errors } = parseForm(testCaseForm, form);
  if (!added) return data({ errors }, { status: 400 });
  if (suite.cases.length >= 50) return data({ errors: { name: "A suite holds at most 50 cases" } }, { status: 400 });
  await setSuiteCases(db(), { tenantId, id: suite.id, cases: [...suite.cases, { id: crypto.randomUUID(), ...added }] });
  return { errors: null };
}
