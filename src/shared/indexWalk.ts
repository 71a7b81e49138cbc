// When a list over many organisations first walks one index of every organisation in page order and
// keeps the admin's rows, and how far it walks before it leaves the page to the scans per organisation
// (Machtigingen: src/features/mandates/listWalk.ts; Gebruikers: membersPage in src/shared/members.ts).
// Below 50 organisations the scans per organisation are cheap; 4,000 index entries is about 1–2 ms.

export type IndexWalk = { fromOrganisations: number; cap: number }

export const INDEX_WALK: IndexWalk = { fromOrganisations: 50, cap: 4000 }
