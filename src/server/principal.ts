// Who is calling: the principal a session cookie or an API token resolves to, and what each role may reach.
// The contract between the auth plugin (which sets request.principal) and every route (which checks it).
import type {} from 'fastify';
export const ROLES = ['admin', 'clinician', 'researcher', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  /** Site codes a clinician may see (identified data of these sites only); empty for the other roles. */
  readonly sites: readonly string[];
  /** How the request authenticated: a browser session (needs the CSRF header on writes) or an API token. */
  readonly via: 'session' | 'token';
}

/**
 * What each role may do:
 *  - admin: everything, including accounts (/api/admin/*); identified data of every site.
 *  - clinician: identified data of their own sites only; may enter observations, infusions, device changes, events.
 *  - researcher: de-identified data and studies only (no identified patient routes, no writes to patient data).
 *  - auditor: the audit log, read-only.
 */
export function canSeeIdentifiedSite(p: Principal, site: string): boolean {
  return p.role === 'admin' || (p.role === 'clinician' && p.sites.includes(site));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook (src/server/auth) from the session cookie or the bearer token; null when anonymous. */
    principal: Principal | null;
  }
}
