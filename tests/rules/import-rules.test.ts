import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IViolation } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The parts' import rules (.dependency-cruiser.cjs) catch a planted violation of each kind, and
 * let the allowed imports through. `npm run check:imports` applies the same rules to the tree.
 */
const rules = createRequire(import.meta.url)("../../.dependency-cruiser.cjs");
const root = mkdtempSync(join(tmpdir(), "bvrai-import-rules-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function plant(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function violations(): Promise<string[]> {
  const result = await cruise(["."], {
    baseDir: root,
    ruleSet: { forbidden: rules.forbidden },
    validate: true,
    tsPreCompilationDeps: true,
  });
  const output = result.output as { summary: { violations: IViolation[] } };
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe("the parts' import rules", () => {
  it("name the file, the import and the rule for each planted violation, and allow the rest", async () => {
    plant({
      "core/ids.ts": `export const id = 1;\n`,
      "core/leaks.ts": `import { table } from "../db/schema";\nexport const x = table;\n`,
      "db/schema.ts": `import { id } from "../core/ids";\nexport const table = id;\n`,
      "db/reaches-up.ts": `import { engine } from "../voice/engine";\nexport const y = engine;\n`,
      "voice/engine.ts": `import { table } from "../db/schema";\nexport const engine = table;\n`,
      "voice/transport.ts": `import { socket } from "../media-relay/socket";\nexport const t = socket;\n`,
      "media-relay/socket.ts": `import { engine } from "../voice/engine";\nexport const socket = engine;\n`,
      "app/jobs.ts": `import { socket } from "../media-relay/socket";\nimport { engine } from "../voice/engine";\nexport const j = [socket, engine];\n`,
      "app/talk.ts": `import "../widget/call";\nexport {};\n`,
      "widget/call.ts": `import { id } from "../core/ids";\nexport const call = id;\n`,
      "workers/route.ts": `import { engine } from "../voice/engine";\nimport "../widget/call";\nexport const r = engine;\n`,
      "workers/route.test.ts": `import { engine } from "../voice/engine";\nexport const tested = engine;\n`,
    });
    expect(await violations()).toEqual([
      "core-imports-nothing-of-ours: core/leaks.ts → db/schema.ts",
      "db-imports-core: db/reaches-up.ts → voice/engine.ts",
      "edge-imports-db-core: workers/route.ts → voice/engine.ts",
      "portal-imports-voice-db-core: app/jobs.ts → media-relay/socket.ts",
      "voice-imports-db-core: voice/transport.ts → media-relay/socket.ts",
    ]);
  });
});
