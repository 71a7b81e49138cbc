import { describe, expect, it } from 'vitest'
import { escapeHtml, partialRenderer, selectOptions, strictRenderer } from '../../src/web/views.ts'

describe('selectOptions', () => {
  it('When options are made, then values and labels are escaped, the current one is selected and disabled ones say so', () => {
    const html = selectOptions(
      [
        { value: 'a', label: 'Alpha' },
        { value: 'b"><script>', label: '<b>Beta</b>' },
        { value: 3, label: 'Drie', disabled: true },
      ],
      '3',
    )
    expect(html).toBe(
      '<option value="a">Alpha</option>' +
        '<option value="b&#34;&gt;&lt;script&gt;">&lt;b&gt;Beta&lt;/b&gt;</option>' +
        '<option value="3" selected disabled>Drie</option>',
    )
  })
})

describe('strictRenderer', () => {
  it('When the rows partial is rendered, then it sees only what it is given and escapes it', () => {
    const render = strictRenderer(true)
    const html = render('/pages/mandates/_rows', {
      rows: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          userName: '<Jan>',
          userEmail: 'jan@example.nl',
          organisationName: 'Org',
          scope: 'all',
          serviceName: null,
          providerName: null,
          level: 'EH3',
          branchName: null,
          branchNumber: null,
          validFrom: new Date('2026-01-01T00:00:00Z'),
          validUntil: new Date('2027-01-01T00:00:00Z'),
          status: 'active',
          expired: false,
          expiringSoon: false,
          canRenew: true,
        },
      ],
      texts: {
        all: 'Alle diensten',
        provider: '',
        select: 'Selecteer \u0001 \u0002',
        activateLabel: '',
        renew: 'Verlengen',
        revoke: 'Intrekken',
        activate: 'Activeren',
        allBranches: 'Alle vestigingen',
        expiring: '',
        status: { active: 'Actief' },
        level: { EH3: 'EH3' },
      },
      fill: (text: string, name: string, scope: string) => text.replace('\u0001', name).replace('\u0002', scope),
      locale: 'nl',
      links: {
        mandateRenew: (id: string) => `/r/${id}`,
        mandateRevoke: (id: string) => `/i/${id}`,
        mandateActivate: (id: string) => `/a/${id}`,
        mandateSuspend: (id: string) => `/s/${id}`,
        mandateLift: (id: string) => `/l/${id}`,
        mandateHistory: (id: string) => `/g/${id}`,
      },
      icons: { renew: '<svg></svg>', trash: '<svg></svg>' },
      formatDate: (d: Date) => d.toISOString().slice(0, 10),
    })
    expect(html).toContain('<th scope="row">&lt;Jan&gt;<br>')
    expect(html).toContain('aria-label="Selecteer &lt;Jan&gt; Alle diensten"')
    expect(html).toContain('href="/r/00000000-0000-4000-8000-000000000001"')
    expect(html).toContain('<td>2026-01-01</td>')
    expect(html).not.toContain('Activeren')
  })
})

describe('partial', () => {
  // The page's locals as the view engine gives them: a field with an error and a typed value.
  const partial = partialRenderer(strictRenderer(true), {
    t: (key: string) => (key === 'common:errorTitlePrefix' ? 'Fout:' : key),
    locale: 'nl',
    errors: { summary: [{ text: 'Vul een naam in', href: '#field-naam' }], fields: { naam: 'Vul een naam in' } },
    values: { naam: '<Jan>', ok: '1', keuze: 'b' },
  })

  it("When a form partial is rendered, then it gets the page's errors and typed values without include()", () => {
    const field = partial('/partials/field', { name: 'naam', label: 'Naam', hint: 'Zoals op uw paspoort' })
    expect(field).toContain('value="&lt;Jan&gt;"')
    expect(field).toContain('aria-describedby="field-naam-hint field-naam-error"')
    expect(field).toContain('<span class="bm-visually-hidden">Fout: </span>Vul een naam in')
    expect(field).toContain('aria-invalid="true"')
  })

  it('When each form partial is rendered with its optional locals, then it compiles and shows them', () => {
    expect(
      partial('/partials/select', {
        name: 'keuze',
        label: 'Keuze',
        placeholder: 'Alle',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      }),
    ).toMatch(/<option value="">Alle<\/option>\s*<option value="a">A<\/option><option value="b" selected>B<\/option>/)
    expect(partial('/partials/checkbox', { name: 'ok', id: 'field-eigen', label: 'Akkoord', hint: 'Verplicht' })).toMatch(
      /id="field-eigen" name="ok" value="1" checked/,
    )
    expect(
      partial('/partials/radios', {
        name: 'keuze',
        legend: 'Kies',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B', hint: 'Uitleg' },
        ],
      }),
    ).toMatch(/id="field-keuze-1" name="keuze" value="b"\s+checked/)
    expect(partial('/partials/textarea', { name: 'naam', label: 'Toelichting', rows: 6 })).toContain('rows="6"')
    expect(partial('/partials/status-badge', { status: 'active', label: 'Actief' })).toContain('bm-status--active">Actief</span>')
    expect(partial('/partials/pagination', { pagination: { nextHref: '/volgende' } })).toContain('rel="next" href="/volgende"')
  })
})

describe('escapeHtml', () => {
  it('When a value holds markup characters, then they are escaped as EJS does; other values come back as they are', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&#34;x&#34; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
    expect(escapeHtml('Bakkerij De Vries B.V.')).toBe('Bakkerij De Vries B.V.')
    expect(escapeHtml(42)).toBe('42')
    expect(escapeHtml(undefined)).toBe('')
    expect(escapeHtml(null)).toBe('')
  })
})
