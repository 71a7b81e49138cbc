// The two handles a service works with: the client (`Db`) and a transaction (`Tx`). A function that
// must run inside a caller's transaction takes `Tx`; one that may run either way takes `Db | Tx`.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'

export type Db = PrismaClient
export type Tx = Prisma.TransactionClient

/**
 * Options of a transaction that changes many rows at once (bulk renewal, revoke and suspend of up to
 * 10,000 mandates): Prisma's default 5-second limit would roll back a large confirmed action on a busy
 * host. It stays all or nothing; the benchmark (npm run bench:scale) watches that it stays fast.
 */
export const BULK_TRANSACTION = { timeout: 60_000, maxWait: 10_000 } as const
