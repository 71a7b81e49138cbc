// Issue 19 (a, g): every audit action and subject type the code writes is in one typed list; Logboek
// filters on each, says each in words (nl and en), and links each subject to a page that opens.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AUDIT_ACTIONS,
  AUDIT_SUBJECT_TYPES,
  ORGANISATION_AUDIT_ACTIONS,
  PERSONAL_AUDIT_ACTIONS,
  isPersonalAuditAction,
  subjectTypeOfAction,
  type AuditSubjectType,
} from '../../../src/domain/auditActions.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { recordAudit, recordAuditMany } from '../../../src/shared/audit.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (name === 'generated') return []
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : []
  })
}

/** A real row of each subject type in Bakkerij De Vries B.V. (Sanne administers it). */
async function subjects(): Promise<{ organisationId: string; ids: Record<AuditSubjectType, string> }> {
  const db = t.database.db
  const org = await db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
  const jan = await db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
  const mandate = await db.mandate.findFirstOrThrow({ where: { userId: jan.id, organisationId: org.id } })
  const application = await db.application.findFirstOrThrow({ where: { organisationId: org.id } })
  const means = await db.means.findFirstOrThrow({ where: { userId: jan.id } })
  const linkRequest = await db.linkRequest.findFirst({ where: { organisationId: org.id } })
  const mail = await db.outgoingMail.findFirst({})
  const chain = await db.chainMandate.findFirst({})
  const assignment = await db.chainAssignment.findFirst({})
  return {
    organisationId: org.id,
    ids: {
      user: jan.id,
      application: application.id,
      mandate: mandate.id,
      means: means.id,
      link_request: linkRequest?.id ?? jan.id,
      outgoing_mail: mail?.id ?? jan.id,
      chain_mandate: chain?.id ?? jan.id,
      chain_assignment: assignment?.id ?? jan.id,
      organisation: org.id,
      registration: (await db.registration.findFirst({}))?.id ?? jan.id,
      api_client: (await db.apiClient.findFirst({}))?.id ?? jan.id,
    },
  }
}

describe('audit actions (issue 19)', () => {
  it('When the code writes an audit action or subject type in SQL, then it is one of the typed list', () => {
    const files = sourceFiles(path.resolve(import.meta.dirname, '../../../src'))
    const written = new Set<string>()
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/SELECT '([a-z_-]+\.[a-z_]+)' AS action|action: "'([^']+)'"/g)) written.add(m[1] ?? m[2]!)
      for (const m of text.matchAll(/'([A-Za-z_]+)' AS subject_type|subjectType: "'([^']+)'"|NULL, '([A-Za-z_]+)', id/g)) {
        expect(AUDIT_SUBJECT_TYPES).toContain(m[1] ?? m[2] ?? m[3])
      }
    }
    expect(written.size).toBeGreaterThan(1)
    for (const action of written) expect(AUDIT_ACTIONS).toContain(action)
  })

  it('When an admin and the back office filter Logboek on each action their filter offers, then it shows that entry in words and its subject page opens; the admin is not offered the personal actions', async () => {
    const { organisationId, ids } = await subjects()
    const sanne = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const principal = (await t.services.authService.loadPrincipal(sanne.id))!
    const actor = { ...systemActor(principal.email), principal }
    await t.database.db.$transaction((tx) =>
      recordAuditMany(
        tx,
        actor,
        AUDIT_ACTIONS.map((action) => ({
          action,
          // As the code writes them: a person's own actions without an organisation.
          organisationId: isPersonalAuditAction(action) ? null : organisationId,
          subjectType: subjectTypeOfAction(action),
          subjectId: ids[subjectTypeOfAction(action)],
          before: { status: 'active' },
          after: { status: 'revoked', validUntil: '2028-01-12' },
        })),
      ),
    )
    for (const account of ['sanne', 'backoffice'] as const) {
      const offers = account === 'sanne' ? ORGANISATION_AUDIT_ACTIONS : AUDIT_ACTIONS
      const agent = await t.loginAs(account)
      const logboek = cheerio.load((await agent.get('/beheer/logboek')).text)
      const offered = logboek('select[name="actie"] option')
        .toArray()
        .map((o) => logboek(o).attr('value'))
        .filter(Boolean)
      expect(offered).toEqual([...offers])
      if (account === 'sanne') for (const personal of PERSONAL_AUDIT_ACTIONS) expect(offered).not.toContain(personal)
      for (const action of offered as string[]) {
        const response = await submitForm(agent, '/beheer/logboek', (f) => f.find('select[name="actie"]').length > 0, { actie: action })
        expect(response.status, action).toBe(200)
        const $ = cheerio.load(response.text)
        const rows = $('tbody tr')
        expect(rows.length, action).toBeGreaterThan(0)
        rows.each((_i, row) => expect($(row).attr('data-action')).toBe(action))
        const ours = rows.toArray().find((row) => $(row).text().includes('Actief → Ingetrokken'))
        expect(ours, action).toBeTruthy()
        const text = $(ours).text()
        expect(text, action).not.toMatch(/\{\{|\}\}|[a-z]+\.[a-z_]+|undefined|null|\[object/)
        if (/renewed|activated/.test(action) && !action.startsWith('chain')) expect(text, action).toContain('12-01-2028')
        const href = $(ours).find('a').attr('href')
        if (href) expect((await agent.get(href)).status, `${action} ${href}`).toBe(200)
      }
    }
  }, 180_000)

  it('When a personal action is written with an organisation, then the writer refuses it; without one it is written', async () => {
    const db = t.database.db
    const sanne = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const org = await db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    const actor = systemActor('test')
    for (const action of PERSONAL_AUDIT_ACTIONS) {
      const entry = { action, subjectType: subjectTypeOfAction(action), subjectId: sanne.id }
      await expect(
        db.$transaction((tx) => recordAudit(tx, actor, { ...entry, organisationId: org.id })),
        action,
      ).rejects.toThrow(/personal/)
      await db.$transaction((tx) => recordAudit(tx, actor, entry))
    }
  })

  it('When an admin revokes a mandate, then the holder\'s detail page shows it in words (subject type "mandate" read as written)', async () => {
    const agent = await t.loginAs('sanne')
    const db = t.database.db
    const jan = await db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const mandate = await db.mandate.findFirstOrThrow({ where: { userId: jan.id, status: 'active' }, include: { service: true } })
    const response = await submitForm(
      agent,
      `/beheer/machtigingen/${mandate.id}/intrekken`,
      (f) => f.attr('action') === `/beheer/machtigingen/${mandate.id}/intrekken`,
    )
    expect(response.status).toBeLessThan(400)
    const detail = cheerio.load((await agent.get(`/beheer/gebruikers/${jan.id}`)).text)
    expect(detail('main').text()).toContain('Sanne de Vries heeft de machtiging van Jan Smit voor')
    expect(detail('main').text()).not.toContain('Nog geen wijzigingen vastgelegd')
  })
})
