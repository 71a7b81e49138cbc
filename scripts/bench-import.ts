// npm run bench:import: "Gebruikers toevoegen" with a 1,000-row CSV (faker, locale nl) through the
// service: read + preview, then commit. Prints the times; the target is under 10 s for both together.
// Uses DATABASE_URL or the embedded PostgreSQL (EMBEDDED_PG_PORT), migrated and seeded with the demo.
import { randomBytes } from 'node:crypto'
import { fakerNL as faker } from '@faker-js/faker'
import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'
import { systemActor } from '../src/shared/actor.ts'
import { seedDemo, seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { CSV_HEADER, readCsv } from '../src/features/users/importRows.ts'
import { createServices } from '../src/services.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1000)
const config = loadConfig()
const database = await openDatabase(config)
const services = createServices(config, database.url, { logger: pino({ level: 'silent' }) })
try {
  await applyMigrations(database.url)
  await seedServiceCatalogue(services.db)
  await seedDemo(services.db)
  const sanne = await services.db.user.findUniqueOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  const principal = (await services.authService.loadPrincipal(sanne.id))!
  const kvk = principal.adminOrganisations[0]!.kvkNumber
  const run = randomBytes(3).toString('hex')
  const levels = ['EH2', 'EH2+', 'EH3']
  const lines = [CSV_HEADER.join(';')]
  for (let i = 0; i < ROWS; i++) {
    const first = faker.person.firstName()
    const last = faker.person.lastName()
    const dob = faker.date.birthdate({ min: 18, max: 67, mode: 'age' })
    const dd = String(dob.getUTCDate()).padStart(2, '0')
    const mm = String(dob.getUTCMonth() + 1).padStart(2, '0')
    const mobile = `06${String(faker.number.int({ min: 0, max: 99_999_999 })).padStart(8, '0')}`
    lines.push(
      [first, '', last, `${dd}-${mm}-${dob.getUTCFullYear()}`, `bench.${run}.${i}@voorbeeld.nl`, mobile, levels[i % 3], ['1', '3', '5'][i % 3], kvk].join(';'),
    )
  }
  const csv = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')

  const t0 = performance.now()
  const rows = readCsv(csv)
  const preview = await services.importService.preview(principal, rows, 'kvk')
  const t1 = performance.now()
  const result = await services.importService.commit(principal, { ...systemActor('bench'), principal }, preview.valid)
  const t2 = performance.now()
  console.log(`rows: ${rows.length}, valid: ${preview.valid.length}, invalid: ${preview.invalidCount}`)
  console.log(`preview: ${(t1 - t0).toFixed(0)} ms`)
  console.log(`commit:  ${(t2 - t1).toFixed(0)} ms (created ${result.created}, active ${result.active}, awaiting check ${result.awaitingCheck})`)
  console.log(`total:   ${(t2 - t0).toFixed(0)} ms ${t2 - t0 < 10_000 ? '(under 10 s: ok)' : '(OVER 10 s)'}`)
} finally {
  await services.close()
  await database.stop()
}
