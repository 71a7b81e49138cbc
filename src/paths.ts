// One source of truth for URLs: routers, redirects and views use these.
export const paths = {
  home: '/',
  login: '/inloggen',
  logout: '/uitloggen',
  overview: '/overzicht',
  language: '/taal',
  health: '/health',
  beheer: {
    root: '/beheer',
    mandates: '/beheer/machtigingen',
    users: '/beheer/gebruikers',
    requests: '/beheer/verzoeken',
    applications: '/beheer/aanvragen',
    auditLog: '/beheer/logboek',
  },
  backoffice: '/backoffice',
  security: {
    enrol: '/inloggen/tweede-factor',
    recoveryCodes: '/inloggen/herstelcodes',
    forgotPassword: '/wachtwoord-vergeten',
    resetPassword: '/wachtwoord-herstellen',
  },
  devMailbox: '/dev/mailbox',
} as const
