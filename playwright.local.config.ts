import base from "./playwright.config";
// Local only (not committed): a loaded machine needs longer to start the platform.
export default {
  ...base,
  timeout: 180_000,
  webServer: (base.webServer as { timeout: number }[]).map((w) => ({ ...w, timeout: 600_000 })),
};
