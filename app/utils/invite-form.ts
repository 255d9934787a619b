import { z } from "zod";
import { inviteeEmail } from "../../core/invitation-input";
import { roles } from "../../db/schema";
import { checkAs } from "./forms";

const invitation = z.object({ email: inviteeEmail, role: z.enum(roles) });

/** The team page's invite form: the API's check on the address (core/invitation-input), in the portal's words. */
export const inviteSchema = z.record(z.string(), z.unknown()).transform(
  (form, ctx) =>
    checkAs(invitation, form, ctx, {
      message: ({ code, path }) =>
        path[0] === "role" ? "Choose a role" : code === "too_big" ? undefined : "Enter a valid email address",
      place: ({ path, message }) => ({ path: path.slice(0, 1), message }),
    }) ?? z.NEVER,
);
