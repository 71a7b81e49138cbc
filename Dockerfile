# The same two commands as the README, on Node 20.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "start"]
