/**
 * The public REST API's base URL: the production edge's route `bvrai.app/*` (wrangler.toml) in
 * front of the portal's server (`APP_URL` in fly.toml), which serves `/api/v1`. The SDK, the CLI,
 * the OpenAPI document and the README all take it from here; a test holds it to the deploy files.
 */
export const PUBLIC_API_URL = "https://bvrai.app/api/v1";
