// A widget's defaults and limits apart from its schema (widget-input): the portal's form reads
// them in the browser, where zod never goes (docs/decisions/0046).

/** A new widget's settings, before its owner changes any (the database's column defaults say the same). */
export const widgetDefaults = {
  allowedOrigins: [] as string[],
  buttonText: "Talk to us",
  color: "#4f46e5",
  textColor: "#ffffff",
  position: "bottom-right",
  greeting: "",
  consentText: "",
  maxConcurrentSessions: 5,
  maxSessionSeconds: 600,
  callsPerVisitorPerHour: 5,
};

/** Every limit on a widget's settings, one constant each: the API and the portal's form both read these. */
export const widgetLimits = {
  allowedOrigins: 50,
  allowedOrigin: 200,
  buttonText: 40,
  greeting: 200,
  consentText: 500,
  maxConcurrentSessions: 100,
  maxSessionSeconds: 3600,
  callsPerVisitorPerHour: 100,
} as const;
