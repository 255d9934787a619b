import { AggregatorRegistry } from "prom-client";
import { registry } from "./metrics";

/**
 * One scrape for a process of several workers (node:cluster): the primary asks every worker for
 * its registry over IPC and merges them. Each worker's series carry a `worker` label (its number,
 * which a replacement takes over), so a counter is never summed across a restart and dashboards
 * add workers up with `sum without (worker)`.
 */
export function answerPrimaryScrapes(worker: number) {
  registry.setDefaultLabels({ worker: String(worker) });
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one in a worker installs prom-client's IPC listener for the primary's requests.
  new AggregatorRegistry();
}

/** In the primary: every worker's metrics, as one Prometheus text. */
export function workersMetrics() {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}
