/** Only same-site paths ("/x", never "//host" or "http:..."), so a redirect cannot leave the portal. */
export function safeReturnPath(candidate: string | undefined, fallback: string): string {
  if (!candidate) return fallback
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return fallback
  if (/[\r\n]/.test(candidate) || candidate.length > 500) return fallback
  return candidate
}
