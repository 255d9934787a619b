/**
 * The Remix configuration. The portal builds with Remix's Vite plugin; vite.config.ts passes
 * these options to it, so this file stays the one place they live (docs/decisions/0001).
 * @type {import('@remix-run/dev').VitePluginConfig}
 */
export default {
  appDirectory: "app",
  ignoredRouteFiles: ["**/*.test.*", "**/*.server.*"],
  serverModuleFormat: "esm",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    // Dev pre-bundles every route's client dependencies at start-up, so no page triggers a
    // mid-test "new dependencies optimized" reload on a cold cache (a flaky e2e on clean CI).
    unstable_optimizeDeps: true,
  },
};
