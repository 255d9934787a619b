import { createHash } from "node:crypto";

/**
 * The only style attributes server-rendered HTML may carry: ones Radix writes during SSR (Tabs
 * content `animation-duration:0s`, the tab list's roving focus `outline:none`, the Toast viewport's
 * wrapper `pointer-events:none`). Production CSP allows exactly these by hash ('unsafe-hashes'), never 'unsafe-inline'
 * (tests: app/components/ui/inline-styles.test.tsx renders the components and checks).
 */
export const allowedInlineStyles = ["animation-duration:0s", "outline:none", "pointer-events:none"];

export const inlineStyleHashes = allowedInlineStyles.map(
  (style) => `'sha256-${createHash("sha256").update(style).digest("base64")}'`,
);
