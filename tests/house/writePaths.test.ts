// One write path per table (issue "The house"): audit rows are written only by src/shared/audit.ts,
// outbox rows only by src/shared/outbox.ts. A feature that wants a set-based insert embeds
// `auditInsertFrom` / `queueMailsFrom` in its statement instead of naming the table itself.
import { execSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function filesWriting(table: string): string[] {
  const out = execSync(
    `git grep -il -E "insert[[:space:]]+into[[:space:]]+${table}|\\.${table === 'audit_events' ? 'auditEvent' : 'outgoingMail'}\\.(create|createMany|upsert)\\(" -- src`,
    {
      encoding: 'utf8',
    },
  ).trim()
  return out ? out.split('\n').sort() : []
}

describe('one write path per table', () => {
  it('When any code inserts an audit entry, then it goes through src/shared/audit.ts', () => {
    expect(filesWriting('audit_events')).toEqual(['src/shared/audit.ts'])
  })

  it('When any code queues a mail, then it goes through src/shared/outbox.ts', () => {
    expect(filesWriting('outgoing_mail')).toEqual(['src/shared/outbox.ts'])
  })

  // Adapters to libraries whose typings are incomplete (src/db/migrations.ts: the wasm engine;
  // src/i18n: i18next's overloaded TFunction) keep their casts; rules and services have none.
  it('When the rules, services and workflows are searched, then no cast goes through unknown (as unknown as)', () => {
    const out = execSync(`git grep -n "as unknown as" -- src/domain src/features src/shared src/web src/policy || true`, { encoding: 'utf8' }).trim()
    expect(out).toBe('')
  })
})
