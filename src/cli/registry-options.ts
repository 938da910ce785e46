// What every registry command shares: who is acting (for the audit trail) and how to open the registry.
import { userInfo } from 'node:os';
import { locationFromEnv, openRegistry, type Registry } from '../registry/db/registry-connection.js';

/** The actor recorded in the audit trail: --actor, else $STRATUM_ACTOR, else 'cli:<os user>'. */
export function actorName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env['STRATUM_ACTOR']) return env['STRATUM_ACTOR'];
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown'.
  }
  return `cli:${user}`;
}

/** Opens the registry named by the environment, runs `body`, always closes it. */
export async function withRegistry<T>(body: (registry: Registry) => Promise<T>): Promise<T> {
  const registry = await openRegistry(locationFromEnv());
  try {
    return await body(registry);
  } finally {
    await registry.close();
  }
}
