import type { Request } from 'express'
import { paths } from '../paths.ts'

export type Crumb = { label: string; href?: string }
export type BeheerTab = 'users' | 'requests' | 'applications'

/** Beheer › <tab> › …: the trail every Beheer page starts with. */
export function beheerCrumbs(req: Request, tab: BeheerTab, ...more: Crumb[]): Crumb[] {
  return [{ label: req.t('common:nav.beheer'), href: paths.beheer.mandates }, { label: req.t(`common:nav.${tab}`), href: paths.beheer[tab] }, ...more]
}
