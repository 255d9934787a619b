import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostileServer, startHostileServer } from "../../tests/support/hostile-servers";
import { TracedTwilioHttp } from "./twilio-http";

let drip: HostileServer;
let endless: HostileServer;
beforeAll(async () => {
  drip = await startHostileServer({ mode: "drip", intervalMs: 20 });
  endless = await startHostileServer({ mode: "endless" });
});
afterAll(() => Promise.all([drip?.stop(), endless?.stop()]));

describe("Twilio's REST client", () => {
  const client = new TracedTwilioHttp({ deadlineMs: 400, maxBytes: 10_000 });
  it("gives up at its total deadline while an answer drips (axios's own timeout only counts idle time)", async () => {
    await expect(client.request({ method: "get", uri: `${drip.url}/2010-04-01/Accounts.json` })).rejects.toThrow(
      /cancel|abort/i,
    );
  });
  it("refuses an answer larger than its cap", async () => {
    await expect(client.request({ method: "get", uri: `${endless.url}/2010-04-01/Accounts.json` })).rejects.toThrow(
      /maxContentLength/,
    );
  });
});
