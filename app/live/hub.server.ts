import { env } from "~/utils/env.server";
import { type CallFeedHub, createCallFeedHub } from "./call-feed.server";

const globalForHub = globalThis as unknown as { __bvraiCallFeed?: CallFeedHub };

// One LISTEN connection per process, kept across Vite's dev-time module reloads.
globalForHub.__bvraiCallFeed ??= createCallFeedHub({
  url: env.DATABASE_URL,
  log: (f) => console.log(JSON.stringify({ service: "web", ...f })),
});
export const callFeedHub: CallFeedHub = globalForHub.__bvraiCallFeed;
