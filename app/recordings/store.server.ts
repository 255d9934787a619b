import { services } from "../services/current.server";

/** The portal's view of the recordings store (the jobs process writes it, the portal only reads). */
export const recordingStore = () => services().recordings;
