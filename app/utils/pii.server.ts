import { services } from "../services/current.server";

/** The web process's one cipher for personal data, shared with the API (app/services). */
export const pii = () => services().pii;
