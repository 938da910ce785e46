// The session cookie `stratum_session`: HttpOnly (no script can read it), SameSite=Strict (never sent on a
// cross-site request), Path=/, Secure when the server is reached over TLS. No Max-Age: a browser-session cookie;
// the server enforces the idle lifetime. The value is a newSecret() (base64url), so no encoding is needed.
export const SESSION_COOKIE = 'stratum_session';

export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Tells the browser to drop the cookie (logout, expired session). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session cookie's value from a Cookie header, or null. */
export function readSessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
