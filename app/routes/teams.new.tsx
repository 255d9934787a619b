import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
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
    <AuthShell title={"Create a team"}>
      <p className="mt-0 text-sm text-muted">
        A team has its own agents, numbers, calls and billing. You will be its owner.
      </p>
      <Form method="post">
        <label htmlFor="name">Team name</label>
        <input id="name" name="name" required />
        {errors?.name && <p className="error">{errors.name}</p>}
        <Button type="submit" className="mt-4 w-full">
          Create team
        </Button>
      </Form>
    </AuthShell>
  );
}
