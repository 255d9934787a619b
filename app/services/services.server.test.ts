import { describe, expect, it } from "vitest";
import { loadJobsConfig, loadWebConfig } from "../../core/config";
import { generatePiiKey } from "../../core/crypto/pii";
import { billing } from "../billing/portal.server";
import { telephony } from "../telephony/telephony.server";
import { db } from "../utils/db.server";
import { emails } from "../utils/emails.server";
import { mailer } from "../utils/mailer.server";
import { pii } from "../utils/pii.server";
import { buildServices } from "./build.server";
import { provideServices, services } from "./current.server";
import { apiServicesOf, buildWebServices } from "./web.server";

const env = {
  DATABASE_URL: "postgres://bvrai_app@127.0.0.1:5432/bvrai_unused",
  PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
  PII_BLIND_INDEX_KEY: "index",
  SESSION_SECRET: "session",
  PORT: "4311",
};

describe("the web process's services", () => {
  it("say so when a route reads them before the server built them", () => {
    expect(() => services()).toThrow(/not built yet/);
    expect(() => db()).toThrow(/not built yet/);
  });

  it("are built once and the same instances reach the API and the portal's routes", async () => {
    const built = buildWebServices(loadWebConfig(env));
    provideServices(built);
    const api = apiServicesOf(built);
    expect(db()).toBe(built.db);
    expect(api.db).toBe(db());
    expect(api.pii).toBe(pii());
    expect(api.telephony).toBe(telephony());
    expect(api.mail.texts).toBe(emails());
    expect(api.mail.send).toBe(mailer().send);
    expect(billing().db).toBe(db());
    expect(built.callFeed()).toBe(built.callFeed());
    await built.callFeed().close();
    await built.db.$pool.end();
  });

  it("word links to the configured portal alike in the portal, the API and billing", () => {
    const built = buildWebServices(loadWebConfig(env));
    expect(built.emails.invitation("a@example.com", "tok", "Team", "Ann").text).toContain(
      "http://127.0.0.1:4311/invite/tok",
    );
    expect(built.billing.appUrl).toBe("http://127.0.0.1:4311");
  });

  it("are the jobs process's too, with its own pool", async () => {
    const jobs = buildServices(loadJobsConfig({ ...env, APP_URL: "https://app.example.com" }), { poolMax: 4 });
    expect(jobs.db.$pool.options.max).toBe(4);
    expect(jobs.appUrl("/settings/webhooks/1")).toBe("https://app.example.com/settings/webhooks/1");
    await jobs.db.$pool.end();
  });
});
