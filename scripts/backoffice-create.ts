// npm run backoffice:create -- --email someone@supplier.example [--first-name Anna] [--last-name de Boer] [--date-of-birth 1980-01-31]
// Creates a back-office account (the first one of an empty production database) and prints a
// one-time activation link, valid 7 days: the person sets a password and enrols TOTP with it.
// Uses DATABASE_URL (or the embedded PostgreSQL) and BASE_URL for the link; applies migrations first.
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { createBackofficeAccount } from '../src/features/backoffice/createAccount.ts'
import { links } from '../src/paths.ts'
import { parseIsoDate } from '../src/domain/dates.ts'

const { values } = parseArgs({
  options: { email: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, 'date-of-birth': { type: 'string' } },
})
if (!values.email) {
  console.error('Usage: npm run backoffice:create -- --email someone@supplier.example [--first-name Anna] [--last-name "de Boer"]')
  process.exit(2)
}
const config = loadConfig()
const database = await openDatabase(config)
const db = createPrismaClient(database.url)
let code = 0
try {
  await applyMigrations(database.url)
  const result = await createBackofficeAccount(db, {
    email: values.email,
    firstName: values['first-name'],
    lastName: values['last-name'],
    dateOfBirth: parseIsoDate(values['date-of-birth'] ?? '') ?? undefined,
  })
  if (result.outcome === 'created' || result.outcome === 'newLink') {
    console.log(
      result.outcome === 'created'
        ? `Created the back-office account ${values.email}.`
        : `${values.email} has not activated yet: a new link replaces the old one.`,
    )
    console.log(`One-time activation link (valid 7 days; also mailed when SMTP is set):\n${config.baseUrl}${links.activate(result.token)}`)
  } else {
    const why = {
      invalidEmail: 'that is not an e-mail address',
      exists: 'that account is active already (use "wachtwoord vergeten")',
      notBackoffice: 'that address belongs to a portal user, not a back-office account',
    }
    console.error(`Nothing done: ${why[result.outcome]}.`)
    code = 1
  }
} finally {
  await db.$disconnect()
  await database.stop()
}
process.exit(code)
