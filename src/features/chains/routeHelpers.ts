// What the Ketenmachtigingen routers share: the Beheer page locals and the id parameter.
import type { Request } from 'express'
import { links } from '../../paths.ts'
import { parseParams, idParam } from '../../policy/params.ts'

export function chainsPage(req: Request, title: string, crumbs: { label: string; href?: string }[] = [], subsection = 'chains') {
  return {
    title,
    section: 'beheer',
    subsection,
    breadcrumbs: [
      { label: req.t('common:nav.beheer'), href: links.mandates() },
      ...(subsection === 'chains' ? [{ label: req.t('common:nav.chains'), href: links.chains() }] : []),
      ...crumbs,
    ],
  }
}

/** The route's :id (a uuid), else 404. */
export function routeId(req: Request): string {
  return parseParams(idParam, req.params).id.toLowerCase()
}
