#!/usr/bin/env bash
# `npm test`: unit tests, cross-runtime integration tests, the embedded default walked as a newcomer
# would, then Playwright e2e in Debian Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# Postgres, Redis, Chromium, espeak-ng, sox, Node 20: installed and started as root, named otherwise.
bash scripts/ensure-machine.sh

npx tsx scripts/build-widget.ts
npx tsc --noEmit
# Lint, formatting and import order (biome.json); `npx biome check --write .` fixes what it can.
npx biome check .
# The parts import only what their rules allow (.dependency-cruiser.cjs, docs/decisions/0030).
npm run --silent check:imports
npx tsx scripts/check-deploy.ts
# Builds the portal; every page's first load within 150 kB of gzipped JS (docs/decisions/0046).
npx tsx scripts/page-weight.ts
npx vitest run --project unit
npx vitest run --project integration
# The embedded default as a newcomer meets it: `npm run dev` on a fresh copy of this checkout
# (PGlite, default ports), walked in Chromium, with simulated calls (tests/embedded/newcomer.ts).
npx tsx tests/embedded/newcomer.ts
npx tsx tests/e2e/prepare-database.ts
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test
