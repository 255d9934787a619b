# One image for the three Fly process groups (fly.toml): web, relay and jobs run the same build.
# Build: `fly deploy` (remote builder) or `docker build -t bvrai .`.
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_audit=false npm_config_fund=false
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
# The portal's production bundle (build/), then only what runs in production is kept.
RUN npm run build && npm prune --omit=dev

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
# No root at runtime; the code is read-only to the process.
RUN useradd --system --uid 10001 bvrai
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/app ./app
COPY --from=build /app/core ./core
COPY --from=build /app/db ./db
COPY --from=build /app/media-relay ./media-relay
COPY --from=build /app/voice ./voice
USER bvrai
EXPOSE 3000 8788 9101 9102 9103
# Fly's [processes] choose what runs; without one, the portal.
CMD ["npm", "run", "start:web"]
