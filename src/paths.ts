// One source of truth for URLs. `paths`: every route pattern the routers register (`:id`, `:token`
// are Express parameters). `links`: the typed builders for every link a router, service, mail or view
// makes (views get `links` as a local: `href="<%= links.userDetail(u.id) %>"`). A test
// (tests/web/paths.test.ts) fails on a portal URL written out anywhere else in src/ or views/.
//
// A new route: add its pattern here (in its feature's group), register it with `paths.…`, and add a
// builder to `links` if anything links to it (a builder fills its pattern with `pathFor`).
const BEHEER = '/beheer'
const MANDATES = `${BEHEER}/machtigingen`
const USERS = `${BEHEER}/gebruikers`
const REQUESTS = `${BEHEER}/verzoeken`
const APPLICATIONS = `${BEHEER}/aanvragen`
const AUDIT_LOG = `${BEHEER}/logboek`
const CHAINS = `${BEHEER}/ketenmachtigingen`
const WHO = `${BEHEER}/wie-mag-wat`
const API_CLIENTS = `${BEHEER}/api-koppelingen`
const API = '/api/v1'
const SCIM = '/scim/v2'
const BACKOFFICE = '/backoffice'
const MINE = '/mijn-gegevens'
const SIGN = '/ondertekenen'
const RENEWAL = '/verlengen'
const DEV_MAILBOX = '/dev/mailbox'
const ACTIVATE = '/activeren'
const REGISTER = '/eherkenning-aanvragen'
const HELP = '/hulp'

export const paths = {
  home: '/',
  login: '/inloggen',
  logout: '/uitloggen',
  overview: '/overzicht',
  language: '/taal',
  /** "Blijf ingelogd" in the time-out warning (src/features/session). */
  sessionKeepAlive: '/sessie/verlengen',
  health: '/health',
  beheer: {
    root: BEHEER,
    mandates: MANDATES,
    users: USERS,
    usersExport: `${USERS}/export.csv`,
    usersAdd: `${USERS}/toevoegen`,
    usersAddSample: `${USERS}/toevoegen/voorbeeld.csv`,
    usersUpload: `${USERS}/toevoegen/bestand`,
    usersAddConfirm: `${USERS}/toevoegen/bevestigen`,
    usersOffboard: `${USERS}/afmelden`,
    usersUpgrade: `${USERS}/upgraden`,
    userDetail: `${USERS}/:id`,
    userUpgrade: `${USERS}/:id/upgrade`,
    userActivation: `${USERS}/:id/activatielink`,
    userMailLocale: `${USERS}/:id/taal-van-e-mail`,
    userMeansRenew: `${USERS}/:id/middel-verlengen`,
    userMeansNew: `${USERS}/:id/nieuw-middel`,
    meansSuspend: `${BEHEER}/middelen/:id/schorsen`,
    meansLift: `${BEHEER}/middelen/:id/schorsing-opheffen`,
    meansCancel: `${BEHEER}/middelen/:id/opzeggen`,
    adminAppointment: `${APPLICATIONS}/beheerder`,
    requests: REQUESTS,
    requestsNew: `${REQUESTS}/nieuw`,
    requestCancel: `${REQUESTS}/:id/intrekken`,
    requestResend: `${REQUESTS}/:id/opnieuw-versturen`,
    applications: APPLICATIONS,
    applicationDetail: `${APPLICATIONS}/:id`,
    applicationSign: `${APPLICATIONS}/:id/ondertekenen`,
    applicationCancel: `${APPLICATIONS}/:id/annuleren`,
    applicationToRepresentatives: `${APPLICATIONS}/:id/naar-vertegenwoordigers`,
    auditLog: AUDIT_LOG,
    auditLogExport: `${AUDIT_LOG}/export.csv`,
    apiClients: API_CLIENTS,
    apiClientRotate: `${API_CLIENTS}/:id/nieuw-geheim`,
    apiClientRevoke: `${API_CLIENTS}/:id/intrekken`,
    apiClientScimToken: `${API_CLIENTS}/:id/scim-token`,
    apiClientScimTokenRevoke: `${API_CLIENTS}/:id/scim-token/intrekken`,
    apiReference: `${API_CLIENTS}/referentie`,
  },
  /** The JSON API (src/features/api) and its token endpoint: bearer tokens, no session, no CSRF. */
  api: {
    token: '/oauth/token',
    openapi: `${API}/openapi.json`,
    users: `${API}/users`,
    user: `${API}/users/:id`,
    userOffboard: `${API}/users/:id/offboard`,
    auditEvents: `${API}/audit-events`,
    authorisationCheck: `${API}/authorisations/check`,
    mandates: `${API}/mandates`,
    mandate: `${API}/mandates/:id`,
    mandateRevoke: `${API}/mandates/:id/revoke`,
    mandateRenew: `${API}/mandates/:id/renew`,
    mandatesBatch: `${API}/mandates/batch`,
    userMeans: `${API}/users/:id/means`,
    userMeansUpgrade: `${API}/users/:id/means/upgrade`,
    linkRequests: `${API}/link-requests`,
    linkRequest: `${API}/link-requests/:id`,
    linkRequestCancel: `${API}/link-requests/:id/cancel`,
  },
  /** SCIM 2.0 (RFC 7643/7644, src/features/scim): an API client's bearer token, no session, no CSRF. */
  scim: {
    serviceProviderConfig: `${SCIM}/ServiceProviderConfig`,
    resourceTypes: `${SCIM}/ResourceTypes`,
    resourceType: `${SCIM}/ResourceTypes/:name`,
    schemas: `${SCIM}/Schemas`,
    schema: `${SCIM}/Schemas/:name`,
    users: `${SCIM}/Users`,
    user: `${SCIM}/Users/:id`,
  },
  /** Beheer → Machtigingen: the list, the wizard's steps, bulk renewal and one mandate. */
  mandates: {
    list: MANDATES,
    export: `${MANDATES}/export.csv`,
    wizard: `${MANDATES}/nieuw`,
    wizardOrganisation: `${MANDATES}/nieuw/organisatie`,
    wizardUser: `${MANDATES}/nieuw/gebruiker`,
    wizardLevel: `${MANDATES}/nieuw/niveau`,
    wizardServices: `${MANDATES}/nieuw/diensten`,
    wizardTerm: `${MANDATES}/nieuw/termijn`,
    wizardConfirm: `${MANDATES}/nieuw/bevestigen`,
    wizardResult: `${MANDATES}/nieuw/resultaat`,
    bulkRenew: `${MANDATES}/verlengen`,
    bulkRenewResult: `${MANDATES}/verlengen/resultaat`,
    bulkRevoke: `${MANDATES}/intrekken`,
    bulkSuspend: `${MANDATES}/schorsen`,
    bulkResult: `${MANDATES}/resultaat`,
    history: `${MANDATES}/:id/geschiedenis`,
    revoke: `${MANDATES}/:id/intrekken`,
    renew: `${MANDATES}/:id/verlengen`,
    activate: `${MANDATES}/:id/activeren`,
    suspend: `${MANDATES}/:id/schorsen`,
    lift: `${MANDATES}/:id/schorsing-opheffen`,
  },
  /** Beheer → Ketenmachtigingen (src/features/chains) and "Wie mag wat". */
  chains: {
    list: CHAINS,
    give: `${CHAINS}/nieuw`,
    giveSign: `${CHAINS}/nieuw/ondertekenen`,
    revoke: `${CHAINS}/:id/intrekken`,
    renew: `${CHAINS}/:id/verlengen`,
    suspend: `${CHAINS}/:id/schorsen`,
    lift: `${CHAINS}/:id/schorsing-opheffen`,
    clients: `${CHAINS}/klanten`,
    client: `${CHAINS}/klanten/:id`,
    assignmentRevoke: `${CHAINS}/toewijzingen/:id/intrekken`,
    who: WHO,
    whoExport: `${WHO}/export.csv`,
  },
  backoffice: BACKOFFICE,
  backofficeApprove: `${BACKOFFICE}/:id/goedkeuren`,
  backofficeReject: `${BACKOFFICE}/:id/afwijzen`,
  backofficeMail: `${BACKOFFICE}/mail`,
  backofficeMailResend: `${BACKOFFICE}/mail/:id/opnieuw`,
  backofficeOrganisations: `${BACKOFFICE}/organisaties`,
  backofficeOrganisation: `${BACKOFFICE}/organisaties/:id`,
  backofficeOrganisationRefresh: `${BACKOFFICE}/organisaties/:id/kvk-verversen`,
  backofficeRepresentativeLocale: `${BACKOFFICE}/organisaties/:id/taal-vertegenwoordiger`,
  backofficeOrganisationBlock: `${BACKOFFICE}/organisaties/:id/blokkeren`,
  backofficeOrganisationUnblock: `${BACKOFFICE}/organisaties/:id/deblokkeren`,
  mine: MINE,
  mineMobile: `${MINE}/mobiel`,
  mineMailLocale: `${MINE}/taal-van-e-mail`,
  mineEmail: `${MINE}/e-mailadres`,
  mineEmailConfirm: `${MINE}/e-mailadres/:token`,
  mineSecurity: `${MINE}/beveiliging`,
  minePassword: `${MINE}/beveiliging/wachtwoord`,
  mineSecondFactor: `${MINE}/beveiliging/tweede-factor`,
  mineRequestAccept: `${MINE}/verzoeken/:id/accepteren`,
  mineRequestReject: `${MINE}/verzoeken/:id/weigeren`,
  mineMeansCancel: `${MINE}/middel/:id/opzeggen`,
  sign: SIGN,
  signApplication: `${SIGN}/:token`,
  renewal: RENEWAL,
  renewalToken: `${RENEWAL}/:token`,
  security: {
    enrol: '/inloggen/tweede-factor',
    recoveryCodes: '/inloggen/herstelcodes',
    forgotPassword: '/wachtwoord-vergeten',
    resetPassword: '/wachtwoord-herstellen',
    resetPasswordToken: '/wachtwoord-herstellen/:token',
  },
  activation: {
    activate: `${ACTIVATE}/:token`,
    newLink: `${ACTIVATE}/:token/nieuwe-link`,
  },
  registration: {
    start: REGISTER,
    details: `${REGISTER}/gegevens`,
    sent: `${REGISTER}/verstuurd`,
    sign: `${REGISTER}/ondertekenen/:token`,
    manage: `${REGISTER}/aanvraag/:token`,
    resend: `${REGISTER}/aanvraag/:token/opnieuw`,
    cancel: `${REGISTER}/aanvraag/:token/annuleren`,
  },
  /** Help and the statements a Dutch service publishes (src/features/help): open to everyone. */
  help: {
    index: HELP,
    guide: `${HELP}/:slug`,
    privacy: '/privacy',
    accessibility: '/toegankelijkheid',
    contact: '/contact',
  },
  devMailbox: DEV_MAILBOX,
  devMail: `${DEV_MAILBOX}/:id`,
  devMailHtml: `${DEV_MAILBOX}/:id/html`,
} as const

/** The `:name` parameters of a route pattern, as a union of names. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

/** A route pattern with its parameters filled in (each one URI-encoded): `pathFor(paths.beheer.userDetail, { id })`. */
export function pathFor<P extends string>(pattern: P, params: Record<PathParams<P>, string>): string {
  return pattern.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent((params as Record<string, string>)[name] ?? ''))
}

/** A query-string value; empty ones (undefined, null, '', false) are left out. */
export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

/** `path` with the non-empty values of `query` as its query string (in the order given), or `path` alone. */
export function withQuery(path: string, query: Query | URLSearchParams = {}): string {
  const params = query instanceof URLSearchParams ? query : new URLSearchParams()
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== null && value !== '' && value !== false) params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

/** Every link the portal makes, by name. Lists take their filters as an optional query. */
export const links = {
  home: () => paths.home,
  login: (query?: Query) => withQuery(paths.login, query),
  overview: (query?: Query) => withQuery(paths.overview, query),
  logout: () => paths.logout,
  language: () => paths.language,
  sessionKeepAlive: () => paths.sessionKeepAlive,

  // Beheer
  mandates: (query?: Query) => withQuery(paths.mandates.list, query),
  mandatesExport: (query?: Query) => withQuery(paths.mandates.export, query),
  mandateWizard: (query?: Query) => withQuery(paths.mandates.wizard, query),
  mandateRevoke: (id: string) => pathFor(paths.mandates.revoke, { id }),
  mandateRenew: (id: string) => pathFor(paths.mandates.renew, { id }),
  mandateActivate: (id: string) => pathFor(paths.mandates.activate, { id }),
  mandateSuspend: (id: string) => pathFor(paths.mandates.suspend, { id }),
  mandateLift: (id: string) => pathFor(paths.mandates.lift, { id }),
  chains: () => paths.chains.list,
  chainGive: () => paths.chains.give,
  chainGiveSign: () => paths.chains.giveSign,
  chainSuspend: (id: string) => pathFor(paths.chains.suspend, { id }),
  chainLift: (id: string) => pathFor(paths.chains.lift, { id }),
  chainRevoke: (id: string) => pathFor(paths.chains.revoke, { id }),
  chainRenew: (id: string) => pathFor(paths.chains.renew, { id }),
  chainClients: (query?: Query) => withQuery(paths.chains.clients, query),
  chainClient: (id: string) => pathFor(paths.chains.client, { id }),
  chainAssignmentRevoke: (id: string) => pathFor(paths.chains.assignmentRevoke, { id }),
  who: (query?: Query) => withQuery(paths.chains.who, query),
  whoExport: (query?: Query) => withQuery(paths.chains.whoExport, query),
  mandateWizardOrganisation: () => paths.mandates.wizardOrganisation,
  mandateWizardUser: (query?: Query) => withQuery(paths.mandates.wizardUser, query),
  mandateWizardLevel: () => paths.mandates.wizardLevel,
  mandateWizardServices: (query?: Query) => withQuery(paths.mandates.wizardServices, query),
  mandateWizardTerm: () => paths.mandates.wizardTerm,
  mandateWizardConfirm: () => paths.mandates.wizardConfirm,
  mandateWizardResult: () => paths.mandates.wizardResult,
  mandatesBulkRenew: (query?: Query) => withQuery(paths.mandates.bulkRenew, query),
  mandatesBulkRenewResult: () => paths.mandates.bulkRenewResult,
  mandatesBulkRevoke: (query?: Query) => withQuery(paths.mandates.bulkRevoke, query),
  mandatesBulkSuspend: (query?: Query) => withQuery(paths.mandates.bulkSuspend, query),
  mandatesBulkResult: () => paths.mandates.bulkResult,
  mandateHistory: (id: string) => pathFor(paths.mandates.history, { id }),
  users: (query?: Query) => withQuery(paths.beheer.users, query),
  usersExport: (query?: Query) => withQuery(paths.beheer.usersExport, query),
  usersAdd: () => paths.beheer.usersAdd,
  usersAddSample: () => paths.beheer.usersAddSample,
  usersUpload: () => paths.beheer.usersUpload,
  usersAddConfirm: () => paths.beheer.usersAddConfirm,
  usersOffboard: (query?: Query) => withQuery(paths.beheer.usersOffboard, query),
  usersUpgrade: (query?: Query) => withQuery(paths.beheer.usersUpgrade, query),
  userDetail: (id: string) => pathFor(paths.beheer.userDetail, { id }),
  userUpgrade: (id: string) => pathFor(paths.beheer.userUpgrade, { id }),
  userActivation: (id: string) => pathFor(paths.beheer.userActivation, { id }),
  userMailLocale: (id: string) => pathFor(paths.beheer.userMailLocale, { id }),
  userMeansRenew: (id: string) => pathFor(paths.beheer.userMeansRenew, { id }),
  userMeansNew: (id: string) => pathFor(paths.beheer.userMeansNew, { id }),
  meansSuspend: (id: string) => pathFor(paths.beheer.meansSuspend, { id }),
  meansLift: (id: string) => pathFor(paths.beheer.meansLift, { id }),
  meansCancel: (id: string) => pathFor(paths.beheer.meansCancel, { id }),
  requests: (query?: Query) => withQuery(paths.beheer.requests, query),
  requestsNew: () => paths.beheer.requestsNew,
  requestCancel: (id: string) => pathFor(paths.beheer.requestCancel, { id }),
  requestResend: (id: string) => pathFor(paths.beheer.requestResend, { id }),
  applications: (query?: Query) => withQuery(paths.beheer.applications, query),
  applicationDetail: (id: string) => pathFor(paths.beheer.applicationDetail, { id }),
  applicationSign: (id: string) => pathFor(paths.beheer.applicationSign, { id }),
  applicationCancel: (id: string) => pathFor(paths.beheer.applicationCancel, { id }),
  applicationToRepresentatives: (id: string) => pathFor(paths.beheer.applicationToRepresentatives, { id }),
  adminAppointment: () => paths.beheer.adminAppointment,
  auditLog: (query?: Query | URLSearchParams) => withQuery(paths.beheer.auditLog, query),
  auditLogExport: (query?: Query | URLSearchParams) => withQuery(paths.beheer.auditLogExport, query),
  apiClients: () => paths.beheer.apiClients,
  apiClientRotate: (id: string) => pathFor(paths.beheer.apiClientRotate, { id }),
  apiClientRevoke: (id: string) => pathFor(paths.beheer.apiClientRevoke, { id }),
  apiClientScimToken: (id: string) => pathFor(paths.beheer.apiClientScimToken, { id }),
  apiClientScimTokenRevoke: (id: string) => pathFor(paths.beheer.apiClientScimTokenRevoke, { id }),
  apiReference: () => paths.beheer.apiReference,
  apiUser: (id: string) => pathFor(paths.api.user, { id }),
  apiMandate: (id: string) => pathFor(paths.api.mandate, { id }),
  apiMandates: (query?: Query) => withQuery(paths.api.mandates, query),
  apiUsers: (query?: Query) => withQuery(paths.api.users, query),
  scimUser: (id: string) => pathFor(paths.scim.user, { id }),

  // Back office
  backoffice: () => paths.backoffice,
  backofficeApprove: (id: string) => pathFor(paths.backofficeApprove, { id }),
  backofficeReject: (id: string) => pathFor(paths.backofficeReject, { id }),
  backofficeMail: (query?: Query) => withQuery(paths.backofficeMail, query),
  backofficeMailResend: (id: string) => pathFor(paths.backofficeMailResend, { id }),
  backofficeOrganisations: (query?: Query) => withQuery(paths.backofficeOrganisations, query),
  backofficeOrganisation: (id: string) => pathFor(paths.backofficeOrganisation, { id }),
  backofficeOrganisationRefresh: (id: string) => pathFor(paths.backofficeOrganisationRefresh, { id }),
  backofficeRepresentativeLocale: (id: string) => pathFor(paths.backofficeRepresentativeLocale, { id }),
  backofficeOrganisationBlock: (id: string) => pathFor(paths.backofficeOrganisationBlock, { id }),
  backofficeOrganisationUnblock: (id: string) => pathFor(paths.backofficeOrganisationUnblock, { id }),
  devMailbox: () => paths.devMailbox,
  devMail: (id: string) => pathFor(paths.devMail, { id }),
  devMailHtml: (id: string) => pathFor(paths.devMailHtml, { id }),

  // Mijn gegevens
  mine: (query?: Query) => withQuery(paths.mine, query),
  mineMobile: () => paths.mineMobile,
  mineMailLocale: () => paths.mineMailLocale,
  mineEmail: () => paths.mineEmail,
  mineEmailConfirm: (token: string) => pathFor(paths.mineEmailConfirm, { token }),
  mineSecurity: () => paths.mineSecurity,
  minePassword: () => paths.minePassword,
  mineSecondFactor: () => paths.mineSecondFactor,
  mineRequestAccept: (id: string) => pathFor(paths.mineRequestAccept, { id }),
  mineRequestReject: (id: string) => pathFor(paths.mineRequestReject, { id }),
  mineMeansCancel: (id: string) => pathFor(paths.mineMeansCancel, { id }),

  // Links in mails that work without logging in
  signApplication: (token: string) => pathFor(paths.signApplication, { token }),
  renewal: (token: string) => pathFor(paths.renewalToken, { token }),
  resetPassword: (token: string) => pathFor(paths.security.resetPasswordToken, { token }),
  activate: (token: string) => pathFor(paths.activation.activate, { token }),
  activationNewLink: (token: string) => pathFor(paths.activation.newLink, { token }),
  registration: () => paths.registration.start,
  registrationDetails: (query?: Query) => withQuery(paths.registration.details, query),
  registrationSent: () => paths.registration.sent,
  registrationSign: (token: string) => pathFor(paths.registration.sign, { token }),
  registrationManage: (token: string) => pathFor(paths.registration.manage, { token }),
  registrationResend: (token: string) => pathFor(paths.registration.resend, { token }),
  registrationCancel: (token: string) => pathFor(paths.registration.cancel, { token }),

  // Help and statements
  help: (query?: Query) => withQuery(paths.help.index, query),
  helpGuide: (slug: string) => pathFor(paths.help.guide, { slug }),
  privacy: () => paths.help.privacy,
  accessibility: () => paths.help.accessibility,
  contact: () => paths.help.contact,

  // Logging in
  enrol: () => paths.security.enrol,
  recoveryCodes: () => paths.security.recoveryCodes,
  forgotPassword: () => paths.security.forgotPassword,
}

export type Links = typeof links

/** The machine routes: bearer tokens instead of a session, no CSRF, problem+json errors. */
/** Where the JSON API is mounted (a prefix, not a route). */
export const API_ROOT = API

/** Where SCIM is mounted (a prefix, not a route). */
export const SCIM_ROOT = SCIM

export function isScimPath(path: string): boolean {
  return path.startsWith(`${SCIM}/`) || path === SCIM
}

export function isApiPath(path: string): boolean {
  return path === paths.api.token || path.startsWith(`${API}/`) || path === API || isScimPath(path)
}
