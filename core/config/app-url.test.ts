import { describe, expect, it } from "vitest";
import { generatePiiKey } from "../crypto/pii";
import { appUrlOf, loadJobsConfig, loadWebConfig } from ".";

const base = {
  DATABASE_URL: "postgres://bvrai_app@127.0.0.1:5432/bvrai",
  PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
  PII_BLIND_INDEX_KEY: "index",
};

describe("appUrlOf", () => {
  it("makes links on APP_URL when it is set", () => {
    expect(appUrlOf({ APP_URL: "https://app.example.com/", PORT: 4000 })("/invite/t")).toBe(
      "https://app.example.com/invite/t",
    );
  });

  it("falls back to the portal's own port on this machine", () => {
    expect(appUrlOf({ PORT: 4123 })("/settings/billing")).toBe("http://127.0.0.1:4123/settings/billing");
  });

  it("gives the web and jobs processes the same links from the same environment", () => {
    const web = loadWebConfig({ ...base, SESSION_SECRET: "s" });
    const jobs = loadJobsConfig(base);
    expect(appUrlOf(jobs)("/settings/webhooks/1")).toBe(appUrlOf(web)("/settings/webhooks/1"));
    expect(appUrlOf(web)("/x")).toBe("http://127.0.0.1:3000/x");
    const withUrl = { ...base, APP_URL: "https://portal.example.com" };
    expect(appUrlOf(loadJobsConfig(withUrl))("/a")).toBe(
      appUrlOf(loadWebConfig({ ...withUrl, SESSION_SECRET: "s" }))("/a"),
    );
  });
});
