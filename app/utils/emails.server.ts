import { services } from "../services/current.server";

/** The portal's emails, with links to this portal (`appUrlOf`). */
export const emails = () => services().emails;
