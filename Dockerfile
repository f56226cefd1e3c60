# syntax=docker/dockerfile:1
# One Dockerfile, three images that differ in command and health check (targets, see docker-compose.yml):
#   docker build -t steward-api .                       the api (the default, last target)
#   docker build --target worker -t steward-worker .    the worker
#   docker build --target provider -t steward-demo .    the demo OAuth provider (local use only)
# They run compiled JavaScript from dist/ (scripts/build.ts) with production dependencies only (no tsx), as the
# image's unprivileged `node` user; the workflow bundle is built here, not at each worker start.
# Node: the current LTS line, pinned to the release the project tests with (scripts/setup-runtimes.sh).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json vite.config.ts ./
COPY lib ./lib
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY demo ./demo
COPY console ./console
COPY scripts ./scripts
COPY test ./test
COPY client/src ./client/src
# Type-checks everything tsconfig.json includes, builds the console, then compiles to dist/.
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service user: the services write nothing to their own files.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node

FROM runtime AS worker
# /metrics, /healthz and /readyz (ready once both Temporal workers poll); on 127.0.0.1 unless STEWARD_WORKER_HTTP_HOST says otherwise.
ENV STEWARD_WORKER_HTTP_PORT=9464
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/scripts/healthcheck.js", "worker"]
CMD ["node", "--enable-source-maps", "dist/worker/main.js"]

FROM runtime AS provider
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/scripts/healthcheck.js", "provider"]
CMD ["node", "--enable-source-maps", "dist/demo/provider.js"]

FROM runtime AS api
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/scripts/healthcheck.js", "api"]
CMD ["node", "--enable-source-maps", "dist/api/main.js"]
