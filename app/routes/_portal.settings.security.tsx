import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { requireTenant } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { reauthenticate } from "~/utils/reauth.server";
import {
  acceptTotp,
  newRecoveryCodes,
  newTotpKey,
  openTotpKey,
  sealTotpKey,
  totpQrSvg,
  totpUri,
} from "~/utils/totp.server";
import { getUserById } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";
import {
  disableTwoFactor,
  enableTwoFactor,
  remainingRecoveryCodes,
  startTwoFactorEnrolment,
} from "../../db/queries/two-factor";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireTenant(request);
  const full = (await getUserById(db(), user.id))!;
  if (full.totpEnabledAt) return { enabled: true as const, recoveryLeft: await remainingRecoveryCodes(db(), user.id) };
  // Enrolment: the pending key is kept across reloads (and failed attempts) until a code confirms it.
  let key = full.totpKey ? await openTotpKey(user.id, full.totpKey) : null;
  if (!key) {
    key = newTotpKey();
    await startTwoFactorEnrolment(db(), { userId: user.id, encryptedKey: await sealTotpKey(user.id, key) });
  }
  const uri = totpUri(user.email, key);
  return {
    enabled: false as const,
    uri,
    qr: `data:image/svg+xml;base64,${Buffer.from(totpQrSvg(uri)).toString("base64")}`,
    secret: new URL(uri).searchParams.get("secret") ?? "",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, tenantId, actor } = await requireTenant(request);
  const form = await readForm(request);
  const full = (await getUserById(db(), user.id))!;
  if (form.get("intent") === "disable") {
    const refused = await reauthenticate(request, user.id, {
      password: String(form.get("currentPassword") ?? ""),
      code: String(form.get("code") ?? ""),
      secondFactor: true,
    });
    if (refused)
      return data({ error: refused.error, recoveryCodes: null }, { status: refused.status, headers: refused.headers });
    await disableTwoFactor(db(), user.id);
    await recordAuditFor(db(), { tenantId, actor, action: "auth.two_factor_disabled" });
    return { error: null, recoveryCodes: null };
  }
  if (full.totpEnabledAt || !full.totpKey)
    return data({ error: "Reload the page and start again.", recoveryCodes: null }, { status: 409 });
  if (!(await acceptTotp(user.id, await openTotpKey(user.id, full.totpKey), String(form.get("code") ?? "")))) {
    return data(
      { error: "That code does not match. Check the time on your phone and try the next code.", recoveryCodes: null },
      { status: 400 },
    );
  }
  const recoveryCodes = newRecoveryCodes();
  await enableTwoFactor(db(), { userId: user.id, recoveryCodes });
  await recordAuditFor(db(), { tenantId, actor, action: "auth.two_factor_enabled" });
  return { error: null, recoveryCodes };
}

export default function TwoFactorSettings() {
  const state = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  if (r?.recoveryCodes) {
    return (
      <Card>
        <h1>Two-factor authentication is on</h1>
        <p>
          Save these recovery codes somewhere safe. Each works once if you lose your phone. They will not be shown
          again.
        </p>
        <ul className="codes" data-testid="recovery-codes">
          {r.recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </Card>
    );
  }
  if (state.enabled) {
    return (
      <Card>
        <h1>Two-factor authentication is on</h1>
        <p>{state.recoveryLeft} recovery codes left.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="disable" />
          <label htmlFor="currentPassword">Current password</label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
          <label htmlFor="disableCode">Code from your authenticator app, or a recovery code</label>
          <input id="disableCode" name="code" autoComplete="one-time-code" maxLength={20} required />
          {r?.error && (
            <p className="error" role="alert">
              {r.error}
            </p>
          )}
          <Button type="submit" variant="danger" className="mt-3 mr-2">
            Turn off two-factor
          </Button>
        </Form>
      </Card>
    );
  }
  return (
    <Card>
      <h1>Set up two-factor authentication</h1>
      <p>Scan this with an authenticator app, or type the key, then enter the code it shows.</p>
      <img className="qr" src={state.qr} alt="QR code for your authenticator app" width={200} height={200} />
      <p>
        Key:{" "}
        <code className="secret" data-testid="totp-secret">
          {state.secret}
        </code>
      </p>
      <Form method="post">
        <label htmlFor="code">Code from the app</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
        {r?.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
        <Button type="submit" className="mt-3 mr-2">
          Turn on two-factor
        </Button>
      </Form>
    </Card>
  );
}
