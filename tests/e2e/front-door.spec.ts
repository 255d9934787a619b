import { expect, test } from "@playwright/test";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

// The whole portal through the edge worker, as in production: pages, forms, cookies and redirects.
test.use({ baseURL: e2e.edgeUrl });

test("through the edge: sign up, verify, create an agent; every answer carries the edge's limits and request id", async ({
  page,
}) => {
  const answers: { url: string; policy: string | null; requestId: string | null }[] = [];
  page.on(
    "response",
    (r) =>
      r.url().startsWith(e2e.edgeUrl) &&
      answers.push({
        url: r.url(),
        policy: r.headers()["ratelimit-policy"] ?? null,
        requestId: r.headers()["x-request-id"] ?? null,
      }),
  );
  await signUp(page, { name: "Edna", company: "Edna Edge", password: "edna-edge-passphrase" });
  await createAgent(page, {
    name: "Edge desk",
    prompt: "Answer through the edge.",
    firstMessage: "Hello from the edge!",
  });
  expect(page.url()).toMatch(new RegExp(`^${e2e.edgeUrl}/agents/[0-9a-f-]{36}$`));
  expect(answers.length).toBeGreaterThan(10); // pages, their data requests and assets
  for (const a of answers) {
    expect(a.policy, a.url).toBe('"portal-ip";q=600;w=60');
    expect(a.requestId, a.url).toMatch(/^[0-9a-f-]{36}$/);
  }
  // A cross-site post is still refused by the origin behind the edge (it compares the browser's host, passed on by the edge).
  const forged = await page.request.post("/agents/new", {
    form: { name: "x" },
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(forged.status()).toBe(403);
});
