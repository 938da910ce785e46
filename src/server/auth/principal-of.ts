// The Principal an account row stands for (src/server/principal.ts): sites only for clinicians.
import type { Principal, Role } from '../principal.js';

export function principalOf(account: { id: number; username: string; role: string; sites: string[] }, via: Principal['via']): Principal {
  const role = account.role as Role;
  return { userId: account.id, username: account.username, role, sites: role === 'clinician' ? [...account.sites] : [], via };
}
