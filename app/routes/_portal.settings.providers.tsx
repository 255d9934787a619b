import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { pii } from "~/utils/pii.server";
import { listProviderKeys, removeProviderKey, setProviderKey } from "../../db/queries/provider-credentials";
import { credentialProviders } from "../../db/schema";

const labels = {
  deepgram: "Deepgram (speech-to-text)",
  openai: "OpenAI (language model)",
  elevenlabs: "ElevenLabs (text-to-speech)",
} as const;
const schema = z.object({
  intent: z.enum(["set", "remove"]),
  provider: z.enum(credentialProviders),
  apiKey: z.string().trim().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "provider:manage");
  const keys = await listProviderKeys(db(), { tenantId });
  return {
    // From the loader, not imported by the page: db/schema would bring drizzle to the browser.
    providers: credentialProviders,
    keys: Object.fromEntries(keys.map((k) => [k.provider, k.hint])) as Partial<
      Record<(typeof credentialProviders)[number], string>
    >,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "provider:manage");
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: "Choose a provider.", saved: null }, { status: 400 });
  const { intent, provider, apiKey } = parsed.data;
  if (intent === "remove") {
    await removeProviderKey(db(), { tenantId, provider, actor });
    return { error: null, saved: `${labels[provider]}: the platform's key is used again.` };
  }
  if (!apiKey || apiKey.length < 8) return data({ error: "Paste the whole API key.", saved: null }, { status: 400 });
  await setProviderKey(db(), pii(), { tenantId, provider, apiKey, actor });
  return { error: null, saved: `${labels[provider]}: your key is used for your calls from now on.` };
}

export default function ProviderKeys() {
  const { providers, keys } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Provider keys" />
      <p className="muted">
        Bring your own keys: your calls use them instead of the platform's. They are stored encrypted and never shown
        again.
      </p>
      {r?.saved && <p role="status">{r.saved}</p>}
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {providers.map((p) => (
        <section key={p} className="card">
          <h2>{labels[p]}</h2>
          <p data-testid={`key-${p}`}>{keys[p] ? `Your key ending in …${keys[p]}` : "Using the platform's key"}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="set" />
            <input type="hidden" name="provider" value={p} />
            <label htmlFor={`key-input-${p}`}>API key for {labels[p]}</label>
            <input id={`key-input-${p}`} name="apiKey" type="password" autoComplete="off" required />
            <Button type="submit" className="mt-3 mr-2">
              Save key
            </Button>
          </Form>
          {keys[p] && (
            <Form method="post">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="provider" value={p} />
              <Button type="submit" variant="danger" className="mt-3 mr-2">
                Remove key
              </Button>
            </Form>
          )}
        </section>
      ))}
    </>
  );
}
