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
    usersAdd: '/beheer/gebruikers/toevoegen',
    usersUpload: '/beheer/gebruikers/toevoegen/bestand',
    adminAppointment: '/beheer/aanvragen/beheerder',
    requests: '/beheer/verzoeken',
    applications: '/beheer/aanvragen',
    auditLog: '/beheer/logboek',
  },
  backoffice: '/backoffice',
  mine: '/mijn-gegevens',
  sign: '/ondertekenen',
  devMailbox: '/dev/mailbox',
} as const
