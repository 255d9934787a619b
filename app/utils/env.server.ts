import { loadWebConfig } from "../../core/config";

/** Parsed once at start-up: a bad configuration stops the portal before it serves anything. */
export const env = loadWebConfig(process.env);
export const isProduction = env.NODE_ENV === "production";
