import { services } from "../services/current.server";

/** The web process's one pool, shared with the API (app/services). */
export const db = () => services().db;
