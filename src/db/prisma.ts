import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { poolConfigFromUrl } from './poolConfig.ts'

export type Db = PrismaClient

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(poolConfigFromUrl(databaseUrl, { max: poolSize })) })
}
