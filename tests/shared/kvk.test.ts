// The KvK port: the file register, and the HTTP adapter against a local stub that answers as KvK
// does (Basisprofiel, vestigingen, functionarissen, and KvK's { fout: [{ code, omschrijving }] } errors).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileKvkRegister } from '../../src/shared/kvk/fileRegister.ts'
import { HttpKvkRegister } from '../../src/shared/kvk/httpRegister.ts'
import { KvkError } from '../../src/shared/kvk/register.ts'

const basisprofiel = {
  kvkNummer: '90417263',
  naam: 'Fietsenmakerij Jansen',
  _embedded: {
    hoofdvestiging: {
      vestigingsnummer: '000051827364',
      adressen: [{ type: 'bezoekadres', straatnaam: 'Kerkstraat', huisnummer: 41, postcode: '6811DL', plaats: 'Arnhem' }],
    },
    eigenaar: { rechtsvorm: 'Eenmanszaak', uitgebreideRechtsvorm: 'Eenmanszaak' },
  },
}
const vestigingen = {
  kvkNummer: '90417263',
  aantalVestigingen: 2,
  vestigingen: [
    {
      vestigingsnummer: '000051827364',
      eersteHandelsnaam: 'Fietsenmakerij Jansen',
      indHoofdvestiging: 'Ja',
      volledigAdres: 'Kerkstraat 41 6811DL Arnhem',
      adressen: [{ plaats: 'Arnhem' }],
    },
    { vestigingsnummer: '000051827372', eersteHandelsnaam: 'Jansen Fietsen Velp', indHoofdvestiging: 'Nee', adressen: [{ plaats: 'Velp' }] },
  ],
}
const functionarissen = {
  functionarissen: [
    { naam: 'Willem Jansen', functie: 'Eigenaar', bevoegdheid: 'Alleen/zelfstandig bevoegd' },
    { naam: 'Els Jansen', functie: 'Gevolmachtigde', bevoegdheid: 'Beperkt bevoegd' },
    { naam: 'Zonder Bevoegdheid', functie: 'Commissaris', bevoegdheid: 'Geen' },
  ],
}

let server: Server
let base: string
const seen: { url: string; apikey: string | undefined }[] = []

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function answer(req: IncomingMessage, res: ServerResponse) {
  const url = req.url ?? ''
  seen.push({ url, apikey: req.headers.apikey as string | undefined })
  if (req.headers.apikey !== 'test-key') return send(res, 401, { fout: [{ code: 'IPD0001', omschrijving: 'Geen geldige API-key' }] })
  const number = /\/(\d{8})/.exec(url)?.[1]
  if (number === '00000404') return send(res, 404, { fout: [{ code: 'IPD0005', omschrijving: 'Het product is niet leverbaar voor dit KVK-nummer' }] })
  if (number === '00000429') return send(res, 429, { fout: [{ code: 'IPD1002', omschrijving: 'Te veel verzoeken' }] })
  if (number === '00000500') return send(res, 500, { fout: [{ code: 'IPD9999', omschrijving: 'Er is een technische fout opgetreden' }] })
  if (number === '00000503') {
    res.writeHead(503, { 'content-type': 'text/html' })
    return res.end('<html>Service Unavailable</html>')
  }
  if (number === '00000999') return setTimeout(() => send(res, 200, basisprofiel), 1500)
  if (number !== '90417263') return send(res, 404, { fout: [{ code: 'IPD0005', omschrijving: 'Het product is niet leverbaar voor dit KVK-nummer' }] })
  if (url.startsWith('/v1/basisprofielen/90417263/vestigingen')) return send(res, 200, vestigingen)
  if (url.startsWith('/v1/basisprofielen/90417263')) return send(res, 200, basisprofiel)
  if (url.startsWith('/v1/functionarissen/90417263')) return send(res, 200, functionarissen)
  send(res, 404, { fout: [{ code: 'IPD0001', omschrijving: 'Het product bestaat niet' }] })
}

beforeAll(async () => {
  server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const register = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  new HttpKvkRegister({ baseUrl: `${base}/`, apiKey: options.apiKey ?? 'test-key', timeoutMs: options.timeoutMs ?? 1000 })

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(KvkError)
    return (error as KvkError).kind
  }
  throw new Error('expected a KvkError')
}

describe('HttpKvkRegister (against a stub that answers as KvK does)', () => {
  it('reads the profile, the branches and the functionarissen with their authority, sending the API key', async () => {
    const profile = await register().profile('90417263')
    expect(profile).toEqual({
      kvkNumber: '90417263',
      name: 'Fietsenmakerij Jansen',
      legalForm: 'Eenmanszaak',
      address: { street: 'Kerkstraat 41', postcode: '6811DL', city: 'Arnhem' },
      branches: [
        { branchNumber: '000051827364', name: 'Fietsenmakerij Jansen', city: 'Arnhem' },
        { branchNumber: '000051827372', name: 'Jansen Fietsen Velp', city: 'Velp' },
      ],
      officers: [
        { name: 'Willem Jansen', authority: 'sole', role: 'Eigenaar' },
        { name: 'Els Jansen', authority: 'limited', role: 'Gevolmachtigde' },
      ],
    })
    expect(seen.filter((s) => s.url.includes('90417263')).every((s) => s.apikey === 'test-key')).toBe(true)
    expect(seen.some((s) => s.url === '/v1/basisprofielen/90417263?geoData=false')).toBe(true)
  })

  it('maps 404 to unknown, 429 to rateLimited, 5xx (JSON or not) and a refused key to unavailable', async () => {
    expect(await failure(register().profile('00000404'))).toBe('unknown')
    expect(await failure(register().profile('00000429'))).toBe('rateLimited')
    expect(await failure(register().profile('00000500'))).toBe('unavailable')
    expect(await failure(register().profile('00000503'))).toBe('unavailable')
    expect(await failure(register({ apiKey: 'wrong' }).profile('90417263'))).toBe('unavailable')
  })

  it('gives up after the timeout, and a register that is down is unavailable', async () => {
    expect(await failure(register({ timeoutMs: 200 }).profile('00000999'))).toBe('timeout')
    const down = new HttpKvkRegister({ baseUrl: 'http://127.0.0.1:9', apiKey: 'test-key', timeoutMs: 1000 })
    expect(await failure(down.profile('90417263'))).toBe('unavailable')
  })
})

describe('FileKvkRegister (prisma/seed/kvk.json)', () => {
  it('holds the demo customers and three companies that are not customers yet, one per kind of authority', async () => {
    const file = new FileKvkRegister()
    expect((await file.profile('86231457')).name).toBe('Bakkerij De Vries B.V.')
    const kinds = await Promise.all(['90417263', '91528374', '92639485'].map(async (n) => (await file.profile(n)).officers.map((o) => o.authority)))
    expect(kinds).toEqual([['sole'], ['joint', 'joint'], ['limited', 'limited', 'limited']])
    expect(await failure(file.profile('12345678'))).toBe('unknown')
  })
})
