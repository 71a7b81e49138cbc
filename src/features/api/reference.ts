// Beheer → API-koppelingen → API-referentie: the OpenAPI document as a server-rendered page (no
// script, no CDN), so the reference and the document cannot drift: both come from OPERATIONS and
// the zod schemas.
import type { Request, Response } from 'express'
import { links, paths } from '../../paths.ts'
import { openApiDocument, openApiPath, OPERATIONS } from './openapi.ts'

type JsonSchema = {
  type?: string | string[]
  $ref?: string
  enum?: unknown[]
  const?: unknown
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
}
type Parameter = { name: string; in: string; required: boolean; schema: JsonSchema }

/** A short type text: `string`, `"a" | "b"`, `Mandate[]`, `Level | null`. */
export function typeText(schema: JsonSchema | undefined): string {
  if (!schema) return 'any'
  if (schema.$ref) return schema.$ref.split('/').pop()!
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  const union = schema.anyOf ?? schema.oneOf
  if (union) return union.map(typeText).join(' | ')
  if (schema.type === 'array') return `${typeText(schema.items)}[]`
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  return schema.type ?? 'any'
}

function operations() {
  const doc = openApiDocument() as {
    paths: Record<string, Record<string, { parameters: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>
  }
  return OPERATIONS.map((op) => {
    const described = doc.paths[openApiPath(op.path)]![op.method]!
    const body = described.requestBody ? Object.values(described.requestBody.content)[0]!.schema : null
    return {
      anchor: op.id,
      method: op.method.toUpperCase(),
      path: openApiPath(op.path),
      summary: op.summary,
      scope: op.scope ?? null,
      parameters: described.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, type: typeText(p.schema) })),
      body: body ? typeText(body) : null,
      responses: Object.entries(op.responses).map(([status, name]) => ({ status, name })),
    }
  })
}

function schemas() {
  const doc = openApiDocument() as { components: { schemas: Record<string, JsonSchema> } }
  return Object.entries(doc.components.schemas).map(([name, schema]) => ({
    name,
    type: schema.properties ? null : typeText(schema),
    properties: Object.entries(schema.properties ?? {}).map(([p, s]) => ({ name: p, type: typeText(s), required: schema.required?.includes(p) ?? false })),
  }))
}

export function renderReference(req: Request, res: Response): void {
  res.render('pages/apiClients/reference', {
    title: req.t('apiClients:reference.title'),
    section: 'beheer',
    subsection: 'apiClients',
    breadcrumbs: [
      { label: req.t('common:nav.beheer'), href: links.mandates() },
      { label: req.t('apiClients:title'), href: links.apiClients() },
      { label: req.t('apiClients:reference.title') },
    ],
    documentUrl: paths.api.openapi,
    operations: operations(),
    schemas: schemas(),
  })
}
