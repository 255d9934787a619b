import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { requireVerifiedUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { createTenantFor } from "../../db/queries/accounts";
import { setActiveTenant } from "../../db/queries/sessions";

const schema = z.object({ name: z.string().trim().min(1, "Name your team").max(100) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireVerifiedUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireVerifiedUser(request);
  const { data: input, errors } = parseForm(schema, await readForm(request));
  if (!input) return data({ errors }, { status: 400 });
  const tenantId = await createTenantFor(db(), { userId: user.id, name: input.name });
  await setActiveTenant(db(), session.id, tenantId);
  return redirect("/home");
}

export default function NewTeam() {
  const errors = useActionData<typeof action>()?.errors;
  return (
    <main className="auth card">
      <h1>Create a team</h1>
      <p className="muted">A team has its own agents, numbers, calls and billing. You will be its owner.</p>
      <Form method="post">
        <label htmlFor="name">Team name</label>
        <input id="name" name="name" required />
        {errors?.name && <p className="error">{errors.name}</p>}
        <button type="submit">Create team</button>
      </Form>
    </main>
  );
}
