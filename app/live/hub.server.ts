import { env } from "~/utils/env.server";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import { type CallFeedHub, createCallFeedHub } from "./call-feed.server";

const globalForHub = globalThis as unknown as { __bvraiCallFeed?: CallFeedHub };

// One LISTEN connection per process, kept across Vite's dev-time module reloads.
globalForHub.__bvraiCallFeed ??= createCallFeedHub({
  url: env.DATABASE_URL,
  log: fieldLogger(serviceLogger("web")),
});
export const callFeedHub: CallFeedHub = globalForHub.__bvraiCallFeed;
