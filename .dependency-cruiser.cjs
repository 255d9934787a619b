/**
 * The parts of BVRAI and what each may import (docs/decisions/0030-parts-and-import-rules.md).
 * `npm test` runs this (`npm run check:imports`); a violation names the file, the import and the
 * rule. Tests, scripts and configuration may import anything.
 */
const parts = {
  core: "^core/",
  db: "^db/",
  voice: "^voice/",
  widget: "^widget/",
  portal: "^app/",
  relay: "^media-relay/",
  edge: "^workers/",
  sdk: "^sdk/",
};
const ours = "^(core|db|voice|widget|app|media-relay|workers|sdk)/";

/** A part may import only itself and the parts listed. */
const only = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from, pathNot: "\\.test\\.tsx?$" },
  to: { path: ours, pathNot: [from, ...allowed].join("|") },
});

module.exports = {
  forbidden: [
    only(
      "core-imports-nothing-of-ours",
      parts.core,
      [],
      "core/ is runtime-neutral and shared by every part: it imports no other part of ours.",
    ),
    only("db-imports-core", parts.db, [parts.core], "db/ is the data layer: it imports core/ only."),
    only(
      "voice-imports-db-core",
      parts.voice,
      [parts.db, parts.core],
      "voice/ is the engine: no transport (media-relay/), no portal (app/), no edge (workers/).",
    ),
    only(
      "widget-imports-core",
      parts.widget,
      [parts.core],
      "widget/ runs in visitors' browsers: it imports core/ only.",
    ),
    only(
      "portal-imports-voice-db-core",
      parts.portal,
      [parts.voice, parts.db, parts.core, parts.widget],
      "app/ (portal, API, jobs) uses the engine through voice/, never the relay's transports or the edge's code; the talk page may load widget/.",
    ),
    only(
      "relay-imports-voice-db-core",
      parts.relay,
      [parts.voice, parts.db, parts.core],
      "media-relay/ carries audio: it drives voice/ and never reaches into app/ or workers/.",
    ),
    only(
      "edge-imports-db-core",
      parts.edge,
      [parts.db, parts.core, parts.widget],
      "workers/ (the edge) imports db/ and core/, and serves widget/'s bundle.",
    ),
    {
      ...only(
        "sdk-imports-core",
        parts.sdk,
        [parts.core],
        "sdk/ is published on its own: it imports core/ only (its generator, a script, may read the API).",
      ),
      from: { path: parts.sdk, pathNot: ["\\.test\\.tsx?$", "^sdk/generate\\.ts$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|build|public/build|\\.wrangler|\\.data|test-results)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
  },
};
