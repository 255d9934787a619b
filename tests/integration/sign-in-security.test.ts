import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startUpstashRest } from "../fakes/upstash-rest";
import { type Answer, configurePortal, cookieFrom, formPost, get, randomNetwork, run } from "../support/portal";
import { eventually } from "../support/wait";

// Small limits, so a test can reach them: per account from one network, and from all networks.
const PER_ACCOUNT = 3;
const ALL_NETWORKS = 6;
let upstash: Awaited<ReturnType<typeof startUpstashRest>>;
let portal: Awaited<ReturnType<typeof configurePortal>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;

const loadRoutes = async () => ({
  login: await import("../../app/routes/login"),
  link: await import("../../app/routes/login_.link"),
  twoFactor: await import("../../app/routes/login_.two-factor"),
  account: await import("../../app/routes/_portal.settings.account"),
  security: await import("../../app/routes/_portal.settings.security"),
  session: await import("../../app/utils/session.server"),
  accounts: await import("../../db/queries/accounts"),
  twoFactorQueries: await import("../../db/queries/two-factor"),
  totp: await import("../../app/utils/totp.server"),
  password: await import("../../app/utils/password.server"),
  db: (await import("../../app/utils/db.server")).db(),
});

beforeAll(async () => {
  const token = `up-${crypto.randomUUID()}`;
  upstash = await startUpstashRest({ redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", token });
  portal = await configurePortal({
    appUrl: inject("appUrl"),
    upstash: { url: upstash.url, token },
    AUTH_ATTEMPTS_PER_ACCOUNT: PER_ACCOUNT,
    AUTH_ATTEMPTS_PER_ACCOUNT_ALL_NETWORKS: ALL_NETWORKS,
    AUTH_ATTEMPTS_PER_IP: 1000,
  });
  routes = await loadRoutes();
});
afterAll(async () => {
  await upstash?.stop();
  await routes?.db.$pool.end();
  portal?.restore();
});

const password = "correct horse battery staple";

/** An account (verified, owner of its team) and a signed-in session of it. */
async function owner() {
  const email = `owner-${crypto.randomUUID()}@example.com`;
  const { user, tenantId } = await routes.accounts.createAccount(routes.db, {
    email,
    name: "Olive",
    tenantName: "Olive Oils",
    passwordHash: await routes.password.hashPassword(password),
    emailVerified: true,
  });
  const signIn = async () => cookieFrom(await routes.session.createSession(user.id, tenantId));
  return { user, tenantId, email, cookie: await signIn(), signIn };
}

const logIn = (email: string, pw: string, ip: string) =>
  run(routes.login.action, formPost("/login", { email, password: pw, redirectTo: "/agents" }, { ip }));
// Where a sign-in lands: where the form asked (these tests ask for /agents), else home.
const signedIn = (a: Answer, landing = "/agents") =>
  a.status === 302 && a.location === landing && (a.headers.get("set-cookie") ?? "").includes("bvrai_session=");

describe("sign-in throttling cannot lock the owner out", () => {
  it("guesses from one network lock out that network only", async () => {
    const o = await owner();
    const attacker = randomNetwork();
    // Each guess from another address of the same /64: one network all the same.
    for (let i = 0; i < PER_ACCOUNT; i++)
      expect((await logIn(o.email, `wrong-${i}`, attacker.address(`${i + 1}`))).status).toBe(400);
    expect((await logIn(o.email, password, attacker.address("beef"))).status).toBe(429);
    expect(signedIn(await logIn(o.email, password, randomNetwork().address()))).toBe(true);
  });

  it("guesses from many networks make a right password ask the mailbox too, answered alike whatever the password", async () => {
    const o = await owner();
    for (let i = 0; i < ALL_NETWORKS; i++)
      expect((await logIn(o.email, `wrong-${i}`, randomNetwork().address())).status).toBe(400);
    const right = await logIn(o.email, password, randomNetwork().address());
    const wrong = await logIn(o.email, "wrong-again", randomNetwork().address());
    expect(right.status).toBe(200);
    expect(right.headers.get("set-cookie")).toBeNull();
    expect(wrong).toEqual(right);
    expect(JSON.stringify(right.body)).toContain("emailed a link");

    // Only the right password sent a link; it finishes the sign-in once.
    const [mail, ...more] = await eventually(
      async () => (await portal.mailTo(o.email)).length > 0 && portal.mailTo(o.email),
      10_000,
      "the sign-in link",
    );
    expect(more).toEqual([]);
    const token = /\/login\/link\?token=(\S+)/.exec(mail!.text)![1]!;
    expect((await run(routes.link.loader, get(`/login/link?token=${token}`))).body).toEqual({ token, valid: true });
    const finished = await run(routes.link.action, formPost("/login/link", { token }));
    expect(signedIn(finished, "/home")).toBe(true);
    expect(
      (
        await routes.session.getSession(
          new Request("http://portal.test/", { headers: { cookie: cookieFrom(finished.headers.get("set-cookie")) } }),
        )
      )?.user.id,
    ).toBe(o.user.id);
    expect((await run(routes.link.action, formPost("/login/link", { token }))).status).toBe(400);
  });
});

const accountPost = (fields: Record<string, string>, cookie: string, ip = randomNetwork().address()) =>
  run(routes.account.action, formPost("/settings/account", fields, { cookie, ip }));

describe("re-authentication before a sensitive change", () => {
  it("is not locked by sign-in guesses at the address, and is throttled per user", async () => {
    const o = await owner();
    for (let i = 0; i < ALL_NETWORKS + PER_ACCOUNT; i++) await logIn(o.email, `wrong-${i}`, randomNetwork().address());
    const changed = await accountPost(
      { intent: "password", currentPassword: password, newPassword: `${password} 2`, keepOtherSessions: "on" },
      o.cookie,
    );
    expect(changed.status).toBe(200);
    // Wrong passwords from anywhere count against the user (the change above counted too).
    for (let i = 1; i < PER_ACCOUNT; i++)
      expect(
        (await accountPost({ intent: "password", currentPassword: `wrong-${i}`, newPassword: "x y z w v u" }, o.cookie))
          .status,
      ).toBe(400);
    expect(
      (
        await accountPost(
          { intent: "email", currentPassword: `${password} 2`, newEmail: `n-${crypto.randomUUID()}@example.com` },
          o.cookie,
        )
      ).status,
    ).toBe(429);
  });
});

/** A user with two-factor on, with a key the test knows. */
async function withTwoFactor() {
  const o = await owner();
  const key = routes.totp.newTotpKey();
  await routes.twoFactorQueries.startTwoFactorEnrolment(routes.db, {
    userId: o.user.id,
    encryptedKey: await routes.totp.sealTotpKey(o.user.id, key),
  });
  await routes.twoFactorQueries.enableTwoFactor(routes.db, { userId: o.user.id, recoveryCodes: ["aaaaa-bbbbb"] });
  const step = Math.floor(Date.now() / 30_000);
  return { ...o, code: (offset = 0) => generateHOTP(key, BigInt(step + offset), 6) };
}

const secondFactor = async (userId: string, tenantId: string, code: string) => {
  const pending = cookieFrom(await routes.session.createSession(userId, tenantId, { twoFactorPending: true }));
  return run(
    routes.twoFactor.action,
    formPost("/login/two-factor", { code, redirectTo: "/agents" }, { cookie: pending }),
  );
};
const disable = (cookie: string, fields: { currentPassword: string; code: string }) =>
  run(routes.security.action, formPost("/settings/security", { intent: "disable", ...fields }, { cookie }));

describe("two-factor codes", () => {
  it("are accepted once: the same code, or an older one, is refused at sign-in and when turning two-factor off", async () => {
    const o = await withTwoFactor();
    expect(signedIn(await secondFactor(o.user.id, o.tenantId, o.code()))).toBe(true);
    expect((await secondFactor(o.user.id, o.tenantId, o.code())).status).toBe(400);
    expect((await secondFactor(o.user.id, o.tenantId, o.code(-1))).status).toBe(400);
    expect((await disable(o.cookie, { currentPassword: password, code: o.code() })).status).toBe(400);
    expect((await disable(o.cookie, { currentPassword: password, code: o.code(1) })).status).toBe(200);
    expect((await routes.accounts.getUserById(routes.db, o.user.id))?.totpEnabledAt).toBeNull();
  });

  it("turning two-factor off needs the password and a code, and wrong passwords are throttled", async () => {
    const o = await withTwoFactor();
    expect((await disable(o.cookie, { currentPassword: password, code: "" })).status).toBe(400);
    for (let i = 1; i < PER_ACCOUNT; i++)
      expect((await disable(o.cookie, { currentPassword: `wrong-${i}`, code: o.code(1) })).status).toBe(400);
    expect((await disable(o.cookie, { currentPassword: password, code: o.code(1) })).status).toBe(429);
    expect((await routes.accounts.getUserById(routes.db, o.user.id))?.totpEnabledAt).not.toBeNull();
  });
});

describe("an email change", () => {
  it("ends the user's other sessions and tells the old address, with nothing in the mail that could undo it", async () => {
    const o = await owner();
    const elsewhere = await o.signIn();
    const newEmail = `moved-${crypto.randomUUID()}@example.com`;
    expect((await accountPost({ intent: "email", currentPassword: password, newEmail }, o.cookie)).status).toBe(200);
    const [confirm] = await portal.mailTo(newEmail);
    const code = /(\d{6}) confirms/.exec(confirm!.subject)![1]!;
    expect((await accountPost({ intent: "confirm-email", code }, o.cookie)).status).toBe(200);

    const sessionOf = (cookie: string) =>
      routes.session.getSession(new Request("http://portal.test/", { headers: { cookie } }));
    expect(await sessionOf(elsewhere)).toBeNull();
    expect((await sessionOf(o.cookie))?.user.email).toBe(newEmail);
    const [notice, ...others] = await portal.mailTo(o.email);
    expect(others).toEqual([]);
    expect(notice!.subject).toBe("Your BVRAI sign-in email was changed");
    expect(notice!.text).toContain("m•••@example.com");
    expect(notice!.text).not.toContain(newEmail);
    expect(notice!.text).not.toMatch(/https?:\/\//);
  });
});
