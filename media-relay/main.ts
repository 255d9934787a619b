import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { loadRelayConfig } from "../core/config";
import { secretNames } from "../core/config/schemas";

/**
 * `npm run start:relay`: RELAY_WORKERS processes sharing RELAY_PORT (default: one per core
 * available), or, with 1, the relay as one process (docs/decisions/0037).
 */
const config = loadRelayConfig(process.env);
const workers = config.RELAY_WORKERS ?? availableParallelism();
if (cluster.isWorker) {
  const { runRelay } = await import("./relay-process");
  await runRelay(config, Number(process.env.RELAY_WORKER_NUMBER));
} else if (workers > 1) {
  // Development secrets are generated once, here: every worker must sign and decrypt alike.
  const secrets = Object.fromEntries(secretNames.relay.map((name) => [name, config[name]]));
  const { runPrimary } = await import("./cluster");
  await runPrimary(config, workers, secrets);
} else {
  const { runRelay } = await import("./relay-process");
  await runRelay(config);
}
