// Hulp (the guides, searchable) and the statements every page's footer links to: privacy,
// toegankelijkheid, contact. Open to everyone, logged in or not; they read nothing but the catalogue
// and the supplier's settings.
import { Router } from 'express'
import { z } from 'zod'
import { NotFoundError } from '../../errors.ts'
import { fromFieldMessages } from '../../web/forms.ts'
import { allow } from '../../policy/access.ts'
import { parseParams } from '../../policy/params.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { guide, guides, MAX_QUERY_LENGTH, screenshotOf, searchGuides, statement } from './content.ts'

const guideParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,60}$/) })

export function helpRoutes({ config }: Services): Router {
  const router = Router()
  const values = {
    brand: config.brandName,
    supplier: config.supplier.name,
    address: config.supplier.address,
    email: config.supplier.email,
    phone: config.supplier.phone,
    mailDays: config.retention.mailDays,
    linkRequestDays: config.retention.linkRequestDays,
  }

  router.get(paths.help.index, allow('anonymous'), (req, res) => {
    const raw = typeof req.query.zoek === 'string' ? req.query.zoek : ''
    const query = raw.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()
    const tooLong = query.length > MAX_QUERY_LENGTH
    const errors = tooLong ? fromFieldMessages({ zoek: req.t('help:index.tooLong', { max: MAX_QUERY_LENGTH }) }) : undefined
    res.render('pages/help/index', {
      title: req.t('help:index.title'),
      guides: guides(req.locale),
      query,
      results: query && !tooLong ? searchGuides(req.locale, query) : undefined,
      values: { zoek: query },
      ...(errors ? { errors } : {}),
    })
  })

  router.get(paths.help.guide, allow('anonymous'), (req, res) => {
    const { slug } = parseParams(guideParams, req.params)
    const found = guide(req.locale, slug)
    if (!found) throw new NotFoundError()
    res.render('pages/help/guide', {
      title: found.title,
      guide: found,
      screenshot: screenshotOf(found.slug),
      breadcrumbs: [{ label: req.t('help:index.title'), href: paths.help.index }],
    })
  })

  for (const which of ['privacy', 'accessibility'] as const) {
    router.get(paths.help[which], allow('anonymous'), (req, res) => {
      const s = statement(req.locale, which, values)
      res.render('pages/help/statement', { title: s.title, statement: s })
    })
  }

  router.get(paths.help.contact, allow('anonymous'), (req, res) => {
    res.render('pages/help/contact', { title: req.t('help:contact.title'), supplier: config.supplier })
  })
  return router
}
