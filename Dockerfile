# syntax=docker/dockerfile:1
# One image for every environment: build with dev dependencies, run with production dependencies only.
# scripts/runtime-check.sh assembles and starts exactly what the final stage holds, without Docker.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the `node` devDependency's installer is not needed here (the image has Node 22).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN node node_modules/@nestjs/cli/bin/nest.js build api

FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# tini as PID 1 forwards SIGTERM to Node and reaps; Nest re-raises the signal after draining, which a
# bare PID 1 would ignore.
FROM debian:bookworm-slim AS tini
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*

# Distroless: Node 22 and nothing else (no shell, no package manager); runs as uid 65532.
FROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=tini /usr/bin/tini-static /tini
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
USER 65532:65532
EXPOSE 3000 9464
ENTRYPOINT ["/tini", "--", "/nodejs/bin/node", "dist/apps/api/src/main.js"]
