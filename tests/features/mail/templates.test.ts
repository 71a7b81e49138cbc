import { describe, expect, it } from 'vitest'
import { MAIL_TEMPLATES, renderMail } from '../../../src/features/mail/render.ts'

const context = { brandName: 'Mijn Reconi', baseUrl: 'https://portaal.example.nl' }
const mandateItem = { scope: 'service', serviceName: 'Mijn Belastingdienst Zakelijk', level: 'EH3', validUntil: '2027-01-31' }
const samples: Record<string, Record<string, unknown>> = {
  'means-active': { name: 'Jan Smit', level: 'EH2_PLUS', validUntil: '2029-01-31' },
  'registration-signing': {
    name: 'Willem Jansen',
    organisationName: 'Fietsenmakerij Jansen',
    kvkNumber: '90417263',
    kind: 'customer',
    adminName: 'Eva Jansen',
    level: 'EH2_PLUS',
    signPath: '/eherkenning-aanvragen/ondertekenen/abc',
    expiresAt: '2027-01-31',
  },
  'registration-status': {
    name: 'Eva Jansen',
    organisationName: 'Fietsenmakerij Jansen',
    managePath: '/eherkenning-aanvragen/aanvraag/abc',
    expiresAt: '2027-01-31',
  },
  'registration-done': {
    name: 'Willem Jansen',
    organisationName: 'Fietsenmakerij Jansen',
    kvkNumber: '90417263',
    kind: 'customer',
    adminName: 'Eva Jansen',
    level: 'EH3',
    meansActive: false,
  },
  'account-activation': {
    name: 'Jan Smit',
    activatePath: '/activeren/abc',
    expiresAt: '2027-01-31',
    organisationName: 'Bakkerij De Vries B.V.',
    level: 'EH3',
    meansActive: false,
  },
  'legal-representative-notification': {
    name: 'Hendrik de Vries',
    organisationName: 'Bakkerij De Vries B.V.',
    applicationType: 'mandates',
    subjectName: 'Jan Smit',
    requestedByName: 'Sanne de Vries',
    items: ['Berichtenbox (EH2+), 1 jaar'],
    signPath: '/ondertekenen/abc',
    expiresAt: '2027-01-31',
  },
  'signing-request': {
    name: 'Sanne de Vries',
    organisationName: 'Bakkerij De Vries B.V.',
    applicationType: 'admin_appointment',
    signPath: '/ondertekenen/abc',
    expiresAt: '2027-01-31',
  },
  'link-request': {
    name: 'Fatma Yılmaz',
    organisationName: 'De Vries Holding B.V.',
    requestedByName: 'Sanne de Vries',
    requestPath: '/verzoeken/1',
    expiresAt: '2027-01-31',
  },
  'expiry-notice': {
    name: 'Jan Smit',
    kind: 'mandate',
    threshold: '1m',
    organisationName: 'Bakkerij De Vries B.V.',
    renewPath: '/verlengen/abc',
    linkExpiresAt: '2027-03-02',
    ...mandateItem,
  },
  'expiry-digest': {
    name: 'Sanne de Vries',
    organisationName: 'Bakkerij De Vries B.V.',
    organisationId: 'x',
    listPath: '/beheer/machtigingen',
    items: [
      { holderName: 'Jan Smit', kind: 'mandate', threshold: '2m', renewPath: '/verlengen/abc', ...mandateItem },
      { holderName: 'Fatma Yılmaz', kind: 'means', threshold: '1w', level: 'EH3', validUntil: '2027-01-05', renewPath: '/verlengen/def' },
    ],
  },
  'renewal-done': {
    name: 'Jan Smit',
    kind: 'means',
    level: 'EH3',
    validUntil: '2030-01-31',
    termYears: 3,
    adminOrganisations: ['Bakkerij De Vries B.V.', 'De Vries Holding B.V.'],
  },
  'mandate-revoked': { name: 'Jan Smit', organisationName: 'Bakkerij De Vries B.V.', revokedAt: '2026-11-28', ...mandateItem },
  'mandates-granted': {
    name: 'Jan Smit',
    organisationName: 'Bakkerij De Vries B.V.',
    mandates: [mandateItem, { scope: 'all', level: 'EH2', validUntil: '2027-11-28' }],
  },
  'email-change': { name: 'Jan Smit', confirmPath: '/email/bevestigen/abc', expiresAt: '2026-12-01' },
  'password-reset': { name: 'Jan Smit', resetPath: '/wachtwoord-herstellen/abc', expiresInMinutes: 30 },
  'chain-given': {
    name: 'Sanne de Vries',
    role: 'facts',
    ...{
      clientName: 'Bakkerij De Vries B.V.',
      clientKvk: '86231457',
      intermediaryName: 'Administratiekantoor Van Dijk & Partners B.V.',
      intermediaryKvk: '81937204',
      scope: 'provider',
      providerName: 'Belastingdienst',
      level: 'EH3',
      validUntil: '2027-11-28',
    },
  },
  'chain-revoked': { name: 'Sanne de Vries', clientName: 'Bakkerij De Vries B.V.', intermediaryName: 'Van Dijk & Partners', revokedAt: '2026-11-28' },
  'chain-renewed': { name: 'Sanne de Vries', clientName: 'Bakkerij De Vries B.V.', intermediaryName: 'Van Dijk & Partners', validUntil: '2029-11-28' },
  'chain-status': {
    name: 'Sanne de Vries',
    clientName: 'Bakkerij De Vries B.V.',
    intermediaryName: 'Van Dijk & Partners',
    event: 'suspended',
    context: 'suspended',
    count: 2,
  },
  'mandate-status': { name: 'Mark Visser', event: 'suspended', context: 'suspended', organisationName: 'Bakkerij De Vries B.V.', scope: 'all', level: 'EH2' },
  'means-changed': { name: 'Fatma Yilmaz', event: 'cancelScheduled', context: 'cancelScheduled', level: 'EH3', date: '2027-03-01' },
  'chain-expiry-notice': {
    name: 'Johan van Dijk',
    role: 'intermediary',
    threshold: '1m',
    validUntil: '2027-01-02',
    clientName: 'Bakkerij De Vries B.V.',
    intermediaryName: 'Administratiekantoor Van Dijk & Partners B.V.',
    level: 'EH3',
    scope: 'provider',
    providerName: 'Belastingdienst',
    path: '/beheer/ketenmachtigingen/klanten/7d9f3c1e-2b4a-4c6d-8e0f-1a2b3c4d5e6f',
  },
  offboarded: { name: 'Mark Visser', organisationName: 'Bakkerij De Vries B.V.', count: 3 },
  'mandates-changed': {
    name: 'Mark Visser',
    event: 'suspended',
    context: 'suspended',
    count: 2,
    mandates: [
      { organisationName: 'Bakkerij De Vries B.V.', scope: 'all', level: 'EH2' },
      { organisationName: 'Bakkerij De Vries B.V.', scope: 'service', serviceName: 'Mijn Kadaster', level: 'EH3' },
    ],
  },
}

describe('mail templates', () => {
  it.each(
    MAIL_TEMPLATES.flatMap((template) => [
      [template, 'nl'],
      [template, 'en'],
    ]),
  )('When %s is rendered in %s, then subject, text and HTML are complete, with the brand and absolute links', async (template, locale) => {
    const mail = await renderMail(template, locale, samples[template]!, context)
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/undefined|null|NaN|\[object Object\]|mail:|\{\{/)
    }
    expect(mail.subject.length).toBeGreaterThan(5)
    expect(mail.html).toContain(`<html lang="${locale}">`)
    expect(mail.text).toContain('Mijn Reconi')
    expect(mail.text).toContain(locale === 'nl' ? 'Beste ' : 'Dear ')
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!)
    for (const link of links) expect(link).toMatch(/^https:\/\/portaal\.example\.nl\//)
    if (template !== 'mandate-revoked') expect(links.length).toBeGreaterThan(0)
  })

  it("When an admin is told a user's means is opgezegd, then the mail names the holder and links to the user's page", async () => {
    const data = {
      name: 'Sanne de Vries',
      event: 'holderCancelScheduled',
      context: 'holderCancelScheduled',
      holderName: 'Mark Visser',
      userId: 'u-1',
      level: 'EH2',
      date: '2027-03-01',
    }
    const mail = await renderMail('means-changed', 'nl', data, context)
    expect(mail.subject).toBe('Het eHerkenningsmiddel van Mark Visser wordt opgezegd')
    expect(mail.text).toContain('van Mark Visser is opgezegd per 01-03-2027')
    expect(mail.html).toContain('https://portaal.example.nl/beheer/gebruikers/u-1')
  })

  it('When data holds markup, then the HTML escapes it and the text keeps it as typed', async () => {
    const mail = await renderMail('password-reset', 'nl', { name: '<b>Jan</b> & Co', resetPath: '/x' }, context)
    expect(mail.html).toContain('&lt;b&gt;Jan&lt;/b&gt; &amp; Co')
    expect(mail.text).toContain('Beste <b>Jan</b> & Co,')
  })
})
