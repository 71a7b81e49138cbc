// The two handles a service works with: the client (`Db`) and a transaction (`Tx`). A function that
// must run inside a caller's transaction takes `Tx`; one that may run either way takes `Db | Tx`.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'

export type Db = PrismaClient
export type Tx = Prisma.TransactionClient
