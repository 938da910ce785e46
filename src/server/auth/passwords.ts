// Password hashing: argon2id with the OWASP Password Storage Cheat Sheet's minimum parameters
// (m = 19456 KiB, t = 2, p = 1), stored as a PHC string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash).
import { Algorithm, hash, verify } from '@node-rs/argon2';

const ARGON2ID = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** True when `password` matches the stored hash; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same work as verifying a real password, for an unknown username, so a login for an unknown user and
 * one with a wrong password take similar time (no account enumeration by timing). Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('stratum-dummy-password-never-valid');
  await verifyPassword(await dummyHash, password);
  return false;
}
