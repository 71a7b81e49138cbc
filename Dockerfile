# Two stages on Node 20. Build: the README's install, then `npm run build` (TypeScript → dist/).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies, the compiled code and the files it reads from the project root
# (views, public, prisma migrations and seeds). Runs as the image's unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# A heap cap keeps one instance under 300 MB RSS under load (npm run bench:scale; README, Run in production).
ENV NODE_OPTIONS=--max-old-space-size=256
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the postinstall script, which skips prisma generate with --omit=dev; then drop the
# dev-only packages npm still installs as optional peers (the Prisma CLI: about 240 MB).
COPY scripts/prisma-generate.mjs scripts/prune-dev-optional.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && node scripts/prune-dev-optional.mjs && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
COPY prisma ./prisma
# Only written to without DATABASE_URL (the embedded PostgreSQL keeps its data here).
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
