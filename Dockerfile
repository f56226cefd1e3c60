# One image for api, worker and the demo provider; they differ only in their command (see docker-compose.yml).
FROM node:20-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json vite.config.ts ./
COPY console ./console
COPY workflows/model.ts ./workflows/model.ts
RUN npm run build:console

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY demo ./demo
COPY --from=console /app/console/dist ./console/dist
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
