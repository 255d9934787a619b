/**
 * The longest address mail can carry (RFC 5321's path limit): the API and the portal's team page
 * both hold to it. Apart from the schema (invitation-input): the page reads it in the browser,
 * where zod never goes (docs/decisions/0046).
 */
export const INVITEE_EMAIL_MAX = 254;
