// Random secrets (session ids, CSRF tokens, API tokens) and how they are stored: 32 random bytes, base64url, kept in
// the database only as sha256 (hex) except the CSRF token, which must be returned to the browser again.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (crypto.randomBytes), base64url: 43 characters. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The shape of a value made by newSecret, checked before any database lookup. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string comparison (for the CSRF header against the session's token). */
export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
