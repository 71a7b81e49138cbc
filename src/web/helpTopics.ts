// Which help guide (/hulp/<slug>, src/features/help) explains the page at a path: the layout shows
// "Hoe werkt dit?" next to the page's heading when there is one. The first pattern that matches the
// path (or a path below it) wins, so the specific ones come before the lists they sit under.
import { paths } from '../paths.ts'

const TOPICS: [pattern: string, slug: string][] = [
  [paths.mandates.wizard, 'machtigingen-aanvragen'],
  [paths.mandates.bulkRenew, 'machtigingen-verlengen'],
  [paths.mandates.renew, 'machtigingen-verlengen'],
  [paths.mandates.revoke, 'machtiging-intrekken'],
  [paths.mandates.activate, 'machtigingen-activeren'],
  [paths.mandates.suspend, 'machtigingen-activeren'],
  [paths.mandates.lift, 'machtigingen-activeren'],
  [paths.mandates.list, 'machtigingen'],
  [paths.beheer.usersAdd, 'gebruikers-toevoegen'],
  [paths.beheer.userUpgrade, 'nieuw-middel'],
  [paths.beheer.users, 'gebruikers'],
  [paths.beheer.requests, 'verzoeken'],
  [paths.beheer.adminAppointment, 'beheerder-aanstellen'],
  [paths.beheer.applications, 'aanvragen-ondertekenen'],
  [paths.beheer.auditLog, 'logboek'],
  [paths.chains.list, 'ketenmachtigingen'],
  [paths.chains.who, 'ketenmachtigingen'],
  [paths.beheer.apiClients, 'api-koppelingen'],
  [paths.registration.start, 'eherkenning-aanvragen'],
  [paths.activation.activate, 'account-activeren'],
]

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const COMPILED = TOPICS.map(([pattern, slug]) => ({
  re: new RegExp(`^${escape(pattern).replace(/:\w+/g, '[^/]+')}(?:/|$)`),
  slug,
}))

/** The guide's slug for this path (a query string is ignored), or undefined. */
export function helpTopicFor(path: string): string | undefined {
  const bare = path.split('?', 1)[0]!
  for (const topic of COMPILED) if (topic.re.test(bare)) return topic.slug
  return undefined
}

/** Every slug the pages link to (a test checks each has a guide in every language). */
export const HELP_TOPIC_SLUGS = [...new Set(TOPICS.map(([, slug]) => slug))]
