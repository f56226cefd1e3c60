# One image for both processes: `api` and `worker` differ only in their command (see docker-compose.yml).
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY demo ./demo
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
