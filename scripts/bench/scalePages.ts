// The pages `npm run bench:scale` loads, for one admin: every Beheer page with its filters and deep
// pages, with the ids, cursors and search terms read from the bench database.
import type pg from 'pg'
import { encodeCursor } from '../../src/features/users/usersService.ts'

export type Page = { name: string; path: string }
export type Admin = { label: string; email: string; password: string; totpSecret: string }

/** The first row of a one-off read (they may scan: they run once, before the load). */
async function one<T extends pg.QueryResultRow>(client: pg.Client, sql: string, params: unknown[]): Promise<T> {
  const { rows } = await client.query<T>(sql, params)
  if (!rows[0]) throw new Error(`no row for ${sql}`)
  return rows[0]
}

/** The admin's organisations (the ids of their active admin mandates). */
export async function adminOrganisations(client: pg.Client, email: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `select m.organisation_id as id from mandates m join users u on u.id = m.user_id
     where u.email_key = $1 and m.kind = 'admin' and m.status = 'active' order by m.organisation_id`,
    [email],
  )
  return rows.map((r) => r.id)
}

export async function pagesFor(client: pg.Client, admin: Admin): Promise<Page[]> {
  const orgs = await adminOrganisations(client, admin.email)
  const live = await one<{ n: string }>(
    client,
    `select count(*) as n from mandates where organisation_id = any($1) and kind = 'use' and status in ('active', 'pending')`,
    [orgs],
  )
  const deep = await one<{ valid_until: Date; id: string }>(
    client,
    `select valid_until, id from mandates where organisation_id = any($1) and status in ('active', 'pending')
     order by valid_until, id offset $2 limit 1`,
    [orgs, Math.floor(Number(live.n) * 0.75)],
  )
  const deepInactive = await one<{ valid_until: Date; id: string }>(
    client,
    `select valid_until, id from mandates where organisation_id = any($1) order by valid_until, id offset $2 limit 1`,
    [orgs, Math.floor(Number(live.n) * 0.9)],
  )
  const members = await one<{ n: string }>(client, `select count(*) as n from organisation_links where organisation_id = any($1)`, [orgs])
  const deepUser = await one<{ last_name: string; first_name: string; id: string }>(
    client,
    `select u.last_name, u.first_name, u.id from users u where u.id in (select user_id from organisation_links where organisation_id = any($1))
     order by u.last_name, u.first_name, u.id offset $2 limit 1`,
    [orgs, Math.floor(Number(members.n) * 0.75)],
  )
  const person = await one<{ id: string; last_name: string }>(
    client,
    `select u.id, u.last_name from organisation_links l join users u on u.id = l.user_id
     where l.organisation_id = $1 and u.email_key like 'persoon%' order by u.id limit 1`,
    [orgs[0]],
  )
  const auditCount = await one<{ n: string }>(client, `select count(*) as n from audit_events where organisation_id = any($1)`, [orgs])
  const deepAudit = await one<{ id: string }>(client, `select id::text from audit_events where organisation_id = any($1) order by id desc offset $2 limit 1`, [
    orgs,
    Math.floor(Number(auditCount.n) * 0.75),
  ])
  const service = await one<{ id: string }>(client, `select id from services order by name limit 1`, [])
  const day = (d: Date) => d.toISOString().slice(0, 10)
  const q = (params: Record<string, string>) => '?' + new URLSearchParams(params).toString()
  const lastWeek = day(new Date(Date.now() - 7 * 86_400_000))
  return [
    { name: 'Overzicht', path: '/overzicht' },
    { name: 'Machtigingen', path: '/beheer/machtigingen' },
    { name: 'Machtigingen: niveau EH3', path: '/beheer/machtigingen' + q({ niveau: 'EH3' }) },
    { name: 'Machtigingen: status verlopen', path: '/beheer/machtigingen' + q({ status: 'expired' }) },
    { name: 'Machtigingen: gebruiker', path: '/beheer/machtigingen' + q({ gebruiker: person.last_name }) },
    { name: 'Machtigingen: dienst', path: '/beheer/machtigingen' + q({ dienst: `service:${service.id}` }) },
    { name: 'Machtigingen: organisatie', path: '/beheer/machtigingen' + q({ organisatie: orgs[orgs.length - 1]! }) },
    { name: 'Machtigingen: aflopend', path: '/beheer/machtigingen' + q({ sorteer: 'einddatum-aflopend' }) },
    { name: 'Machtigingen: inactieve', path: '/beheer/machtigingen' + q({ inactief: '1' }) },
    { name: 'Machtigingen: niveau + inactieve', path: '/beheer/machtigingen' + q({ niveau: 'EH2_PLUS', inactief: '1' }) },
    { name: 'Machtigingen: deep page', path: '/beheer/machtigingen' + q({ na: `${day(deep.valid_until)}_${deep.id}` }) },
    { name: 'Machtigingen: deep, inactieve', path: '/beheer/machtigingen' + q({ inactief: '1', na: `${day(deepInactive.valid_until)}_${deepInactive.id}` }) },
    { name: 'Gebruikers', path: '/beheer/gebruikers' },
    { name: 'Gebruikers: zoeken', path: '/beheer/gebruikers' + q({ q: person.last_name }) },
    {
      name: 'Gebruikers: deep page',
      path: '/beheer/gebruikers' + q({ na: encodeCursor({ lastName: deepUser.last_name, firstName: deepUser.first_name, id: deepUser.id }) }),
    },
    { name: 'Gebruiker (detail)', path: `/beheer/gebruikers/${person.id}` },
    { name: 'Verzoeken', path: '/beheer/verzoeken' },
    { name: 'Aanvragen', path: '/beheer/aanvragen' },
    { name: 'Logboek', path: '/beheer/logboek' },
    { name: 'Logboek: actie', path: '/beheer/logboek' + q({ actie: 'mandate.revoked' }) },
    { name: 'Logboek: gebruiker', path: '/beheer/logboek' + q({ gebruiker: 'beheerder' }) },
    { name: 'Logboek: periode', path: '/beheer/logboek' + q({ van: lastWeek, tot: day(new Date()) }) },
    { name: 'Logboek: deep page', path: '/beheer/logboek' + q({ na: deepAudit.id }) },
    // Logboek shows 25 entries unless the admin chooses more; the 50 it showed before session 18, measured beside it.
    { name: 'Logboek: 50 per pagina', path: '/beheer/logboek' + q({ per: '50' }) },
    { name: 'Mijn gegevens', path: '/mijn-gegevens' },
    { name: 'Wizard: gebruiker', path: '/beheer/machtigingen/nieuw/gebruiker' },
    { name: 'Wizard: diensten', path: '/beheer/machtigingen/nieuw/diensten' },
    { name: 'Ketenmachtigingen', path: '/beheer/ketenmachtigingen' },
    { name: 'Klanten', path: '/beheer/ketenmachtigingen/klanten' },
    { name: 'Wie mag wat', path: '/beheer/wie-mag-wat' },
    { name: 'API-koppelingen', path: '/beheer/api-koppelingen' },
    { name: 'Hulp', path: '/hulp' },
  ]
}

const CSRF = /name="_csrf" value="([^"]+)"/

/** The first value of the radio buttons named `name` on a page. */
function firstRadio(html: string, name: string): string | null {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="${name}"`).exec(html)
  return match ? (match[1] ?? match[2] ?? null) : null
}

/**
 * Walks the session's wizard to its services step (organisation, the first user offered, the first
 * level offered), so both wizard pages under load render as an admin sees them.
 */
export async function walkWizard(base: string, cookie: string, organisationId: string): Promise<void> {
  const post = async (path: string, fields: Record<string, string>) => {
    const page = await (await fetch(base + path, { headers: { cookie } })).text()
    const csrf = CSRF.exec(page)?.[1]
    const response = await fetch(base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf ?? '', ...fields }).toString(),
    })
    if (response.status !== 303) throw new Error(`wizard ${path}: ${response.status}`)
  }
  const step = async (path: string, name: string) => {
    const html = await (await fetch(base + path, { headers: { cookie } })).text()
    const value = firstRadio(html, name)
    if (!value) throw new Error(`wizard ${path}: no ${name} to choose`)
    await post(path, { [name]: value })
  }
  await fetch(base + '/beheer/machtigingen/nieuw', { headers: { cookie }, redirect: 'manual' })
  await post('/beheer/machtigingen/nieuw/organisatie', { organisationId })
  await step('/beheer/machtigingen/nieuw/gebruiker', 'userId')
  await step('/beheer/machtigingen/nieuw/niveau', 'level')
}
