// Login throttling kept in memory (per server process), beside the per-account lockout kept in the database:
//  - per client IP: at most LOGIN_IP_MAX_FAILURES failed logins in a LOGIN_IP_WINDOW_MIN window, then 429 until the
//    window ends (counts failures only, so many staff behind one hospital NAT can still log in);
//  - per unknown username: the same lockout an account gets (maxFailedLogins, lockout_min), so a 423 does not tell
//    an attacker that a username exists.
// Both maps are bounded; the oldest entries are dropped first.

export const LOGIN_IP_MAX_FAILURES = 20;
export const LOGIN_IP_WINDOW_MIN = 10;
const MAX_ENTRIES = 10_000;

interface Window {
  start_ms: number;
  failures: number;
}

interface Phantom {
  failures: number;
  lockedUntil_ms: number;
}

function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

export class LoginThrottle {
  private readonly ips = new Map<string, Window>();
  private readonly unknown = new Map<string, Phantom>();

  constructor(
    private readonly maxFailedLogins: number,
    private readonly lockout_min: number,
  ) {}

  /** Seconds the IP must wait, or null when it may try. */
  ipRetryAfter_s(ip: string, now: Date): number | null {
    const w = this.ips.get(ip);
    if (!w) return null;
    const end = w.start_ms + LOGIN_IP_WINDOW_MIN * 60_000;
    if (now.getTime() >= end) {
      this.ips.delete(ip);
      return null;
    }
    return w.failures >= LOGIN_IP_MAX_FAILURES ? Math.ceil((end - now.getTime()) / 1000) : null;
  }

  recordIpFailure(ip: string, now: Date): void {
    const w = this.ips.get(ip);
    if (w && now.getTime() < w.start_ms + LOGIN_IP_WINDOW_MIN * 60_000) w.failures += 1;
    else bounded(this.ips, ip, { start_ms: now.getTime(), failures: 1 });
  }

  /** Seconds an unknown username stays "locked", or null. */
  unknownRetryAfter_s(username: string, now: Date): number | null {
    const p = this.unknown.get(username);
    if (!p || p.lockedUntil_ms <= now.getTime()) return null;
    return Math.ceil((p.lockedUntil_ms - now.getTime()) / 1000);
  }

  /** Counts a failed login for an unknown username; true when that now "locks" it, as for a real account. */
  recordUnknownFailure(username: string, now: Date): boolean {
    const p = this.unknown.get(username) ?? { failures: 0, lockedUntil_ms: 0 };
    p.failures += 1;
    const locks = p.failures >= this.maxFailedLogins;
    if (locks) {
      p.failures = 0;
      p.lockedUntil_ms = now.getTime() + this.lockout_min * 60_000;
    }
    bounded(this.unknown, username, p);
    return locks;
  }
}
