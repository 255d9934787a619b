#!/usr/bin/env bash
# `npm test`: unit tests, cross-runtime integration tests, the embedded default walked as a newcomer
# would, then Playwright e2e in Debian Chromium.
# Needs Postgres and Redis; starts them if this machine has them installed but not running.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting Postgres"; pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis"; redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done

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
