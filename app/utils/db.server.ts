import { createNodeDb, type NodeDb } from "../../db/node-client";
import { env } from "./env.server";

const globalForDb = globalThis as unknown as { __bvraiDb?: NodeDb };

// One pool per process, kept across Vite's dev-time module reloads.
globalForDb.__bvraiDb ??= createNodeDb(env.DATABASE_URL, { localRole: env.DATABASE_LOCAL_ROLE });
export const db: NodeDb = globalForDb.__bvraiDb;
