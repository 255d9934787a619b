import { getUserById } from "../../db/queries/accounts";
import { spendRecoveryCode } from "../../db/queries/two-factor";
import { db } from "./db.server";
import { verifyPassword } from "./password.server";
import { clientIp } from "./request.server";
import { throttle, throttledHeaders } from "./throttle.server";
import { acceptTotp, openTotpKey } from "./totp.server";

export type Refusal = { status: 400 | 429; error: string; headers?: Record<string, string> };

/**
 * A signed-in user proves it is still them before a sensitive change: the password, and with
 * `secondFactor` (if two-factor is on) a code from the authenticator, spent like a sign-in code, or
 * a recovery code. Tries count against the user's own sessions and the network, never against the
 * email address, which anyone can type into the sign-in form (docs/decisions/0025).
 */
export async function reauthenticate(
  request: Request,
  userId: string,
  proof: { password: string; code?: string; secondFactor?: boolean },
): Promise<Refusal | null> {
  const limited = await throttle("reauth", { ip: clientIp(request), account: userId });
  if (limited) return { status: 429, error: limited.message, headers: throttledHeaders(limited) };
  const user = await getUserById(db(), userId);
  if (!user || !(await verifyPassword(user.passwordHash, proof.password)))
    return { status: 400, error: "Your current password is not right." };
  if (proof.secondFactor && user.totpEnabledAt && user.totpKey) {
    const code = (proof.code ?? "").trim();
    const ok = /^\d{6}$/.test(code)
      ? await acceptTotp(user.id, await openTotpKey(user.id, user.totpKey), code)
      : code !== "" && (await spendRecoveryCode(db(), { userId: user.id, code }));
    if (!ok)
      return {
        status: 400,
        error: "That code is not right or was already used. Enter the next code from your app, or a recovery code.",
      };
  }
  return null;
}
