import { services } from "../services/current.server";

/** The web process's configuration, parsed once at start-up (app/server/main.ts). */
export const env = () => services().config;
export const isProduction = () => services().production;
