import { type Env, loadConfig } from "./load";
import { edgeSchema, jobsSchema, relaySchema, secretNames, webSchema } from "./schemas";

export { appUrlOf } from "./app-url";
export { ConfigError, isProduction, weakness } from "./load";
export type { EdgeConfig, JobsConfig, RelayConfig, WebConfig } from "./schemas";

export const loadWebConfig = (env: Env) => loadConfig("web", webSchema, secretNames.web, env);
export const loadRelayConfig = (env: Env) => loadConfig("relay", relaySchema, secretNames.relay, env);
export const loadJobsConfig = (env: Env) => loadConfig("jobs", jobsSchema, secretNames.jobs, env);
export const loadEdgeConfig = (env: Env) => loadConfig("edge", edgeSchema, secretNames.edge, env);
