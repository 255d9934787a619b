import { env } from "~/utils/env.server";
import { objectStoreFrom } from "./object-store.server";

/** The portal's view of the recordings store (the jobs process writes it, the portal only reads). */
export const recordingStore = objectStoreFrom(env);
