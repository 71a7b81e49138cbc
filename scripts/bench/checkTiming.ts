// authorisations.check's one statement (candidatesSql in src/shared/authorisations.ts), timed in
// PostgreSQL over many random persons, organisations and services: PREPAREd once, as the app's
// named prepared statements are (so PostgreSQL picks a custom or generic plan as it would for the
// app), then EXPLAIN (ANALYZE) EXECUTE for each sample, reading the server's planning and execution
// time. Also the same statement's round trip through pg, and check() end to end through Prisma.
import { performance } from 'node:perf_hooks'
import type pg from 'pg'
import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { isoDate, todayUtc } from '../../src/domain/dates.ts'
import { candidatesSql, check } from '../../src/shared/authorisations.ts'
import { percentile } from './harness.ts'

export type SampleKind = 'direct' | 'chain' | 'none'
export type Sample = { kind: SampleKind; userId: string; organisationId: string; serviceId: string }

/**
 * Random questions: a holder of a mandate at its organisation (direct), an intermediary's employee
 * at one of its clients (chain), and a person at an organisation they have nothing to do with
 * (none); each with a random service of the catalogue, so some scopes cover it and some do not.
 */
export async function sampleQuestions(client: pg.Client, count: number): Promise<Sample[]> {
  const services = (await client.query<{ id: string }>('select id::text from services')).rows.map((r) => r.id)
  const service = () => services[Math.floor(Math.random() * services.length)]!
  const direct = await client.query<{ user_id: string; organisation_id: string }>(
    `select user_id::text, organisation_id::text from mandates tablesample bernoulli (1) where kind = 'use' order by random() limit $1`,
    [Math.round(count * 0.5)],
  )
  const chain = await client.query<{ user_id: string; organisation_id: string }>(
    `select a.user_id::text, c.organisation_id::text from chain_assignments a join chain_mandates c on c.id = a.chain_mandate_id order by random() limit $1`,
    [Math.round(count * 0.35)],
  )
  const none = await client.query<{ user_id: string; organisation_id: string }>(
    `select u.user_id::text, o.organisation_id::text
     from (select user_id, row_number() over () as n from (select user_id from mandates tablesample bernoulli (1) order by random() limit $1) x) u
     join (select id as organisation_id, row_number() over () as n from (select id from organisations order by random() limit $1) y) o using (n)`,
    [Math.round(count * 0.15)],
  )
  const rows = [
    ...direct.rows.map((r) => ({ kind: 'direct' as const, ...r })),
    ...chain.rows.map((r) => ({ kind: 'chain' as const, ...r })),
    ...none.rows.map((r) => ({ kind: 'none' as const, ...r })),
  ]
  return rows.map((r) => ({ kind: r.kind, userId: r.user_id, organisationId: r.organisation_id, serviceId: service() })).sort(() => Math.random() - 0.5)
}

const literal = (value: unknown) => `'${(value instanceof Date ? isoDate(value) : String(value)).replaceAll("'", "''")}'`

function statementFor(sample: Sample, today: Date) {
  return candidatesSql(sample.organisationId, sample.serviceId, today, sample.userId)
}

export type CheckTimings = {
  samples: number
  /** Server-side planning + execution time (ms) from EXPLAIN (ANALYZE) EXECUTE, sorted, overall and per kind. */
  server: number[]
  serverByKind: Record<SampleKind, number[]>
  /** The statement's round trip through pg (named prepared statement), ms, sorted. */
  roundTrip: number[]
  /** check() through Prisma, as the app calls it (includes the service lookup when nothing matches), ms, sorted. */
  prisma: number[]
  allowed: number
  plans: { kind: SampleKind; text: string }[]
}

export async function timeCheck(client: pg.Client, db: PrismaClient, samples: Sample[]): Promise<CheckTimings> {
  const today = todayUtc()
  const template = statementFor(samples[0]!, today)
  await client.query('deallocate all')
  await client.query(`prepare chk as ${template.text}`)
  const execute = (s: Sample) => `execute chk(${statementFor(s, today).values.map(literal).join(', ')})`
  // Warm-up: caches and the plan choice (PostgreSQL decides custom or generic after five executions).
  for (const s of samples.slice(0, 50)) await client.query(execute(s))
  const serverByKind: Record<SampleKind, number[]> = { direct: [], chain: [], none: [] }
  for (const s of samples) {
    const { rows } = await client.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
      `explain (analyze, timing off, summary on, format json) ${execute(s)}`,
    )
    const plan = rows[0]!['QUERY PLAN'][0]
    serverByKind[s.kind].push(plan['Planning Time'] + plan['Execution Time'])
  }
  const plans: CheckTimings['plans'] = []
  for (const kind of ['direct', 'chain'] as const) {
    const s = samples.find((x) => x.kind === kind)
    if (!s) continue
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${execute(s)}`)
    plans.push({ kind, text: rows.map((r) => r['QUERY PLAN']).join('\n') })
  }
  await client.query('deallocate chk')

  const roundTrip: number[] = []
  for (const s of samples) {
    const sql = statementFor(s, today)
    const t0 = performance.now()
    await client.query({ name: 'chk_rt', text: sql.text, values: sql.values.map((v) => (v instanceof Date ? isoDate(v) : v)) })
    roundTrip.push(performance.now() - t0)
  }
  const prisma: number[] = []
  let allowed = 0
  for (const s of samples.slice(0, 50)) await check(db, s.userId, s.organisationId, s.serviceId)
  for (const s of samples) {
    const t0 = performance.now()
    const answer = await check(db, s.userId, s.organisationId, s.serviceId)
    prisma.push(performance.now() - t0)
    if (answer.allowed) allowed++
  }
  const sort = (xs: number[]) => xs.sort((a, b) => a - b)
  for (const xs of Object.values(serverByKind)) sort(xs)
  return {
    samples: samples.length,
    server: sort(Object.values(serverByKind).flat()),
    serverByKind,
    roundTrip: sort(roundTrip),
    prisma: sort(prisma),
    allowed,
    plans,
  }
}

/** "p50 x ms, p95 y ms, max z ms" of sorted times. */
export function spread(sorted: number[]): string {
  const f = (n: number) => `${n.toFixed(3)} ms`
  return `p50 ${f(percentile(sorted, 0.5))}, p95 ${f(percentile(sorted, 0.95))}, p99 ${f(percentile(sorted, 0.99))}, max ${f(sorted.at(-1) ?? Number.NaN)} (n=${sorted.length})`
}
