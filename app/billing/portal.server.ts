import { services } from "../services/current.server";

/** The portal's billing: Stripe if STRIPE_SECRET_KEY is set, else SANDBOX (everyone on the trial). */
export const billing = () => services().billing;
