import { urlFor } from "../support/databases";

const database = "bvrai_e2e";
const twilioAuthToken = `e2e-${crypto.randomUUID()}`;

/** The e2e platform: `npm run dev` pointed at a real Postgres database of its own, on spare ports. */
export const e2e = {
  database,
  ownerUrl: urlFor(database),
  webUrl: "http://127.0.0.1:3100",
  edgeUrl: "http://127.0.0.1:8797",
  twilioAuthToken: process.env.E2E_TWILIO_AUTH_TOKEN ?? twilioAuthToken,
  serverEnv: {
    DATABASE_URL: urlFor(database, "bvrai_app"),
    DATABASE_MIGRATION_URL: urlFor(database),
    WEB_PORT: "3100",
    EDGE_PORT: "8797",
    RELAY_PORT: "8798",
    NEON_PROXY_PORT: "8799",
    E2E_TWILIO_AUTH_TOKEN: process.env.E2E_TWILIO_AUTH_TOKEN ?? twilioAuthToken,
    TWILIO_AUTH_TOKEN: process.env.E2E_TWILIO_AUTH_TOKEN ?? twilioAuthToken,
  },
};
// The config module is loaded again in each worker; pin the token for all of them.
process.env.E2E_TWILIO_AUTH_TOKEN = e2e.twilioAuthToken;
