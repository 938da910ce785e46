// Small display helpers shared by the pages. Times are entered and shown in the browser's local time zone (the
// clinician's wall clock), always with the zone or offset written next to them, and sent to the server as UTC instants.

const pad = (n: number) => String(n).padStart(2, '0');

/** The UTC offset of a local time as written next to it: 'UTC', 'UTC+01:00', 'UTC-04:30'. */
function offsetText(d: Date): string {
  const east_min = -d.getTimezoneOffset();
  if (east_min === 0) return 'UTC';
  const a = Math.abs(east_min);
  return `UTC${east_min > 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** An instant as local wall-clock time with its offset: '2030-01-01 09:00 UTC+01:00'. */
export function fmtTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${offsetText(d)}`;
}

export function fmtValue(value: number, censored?: 'gt' | 'lt'): string {
  return `${censored === 'gt' ? '>' : censored === 'lt' ? '<' : ''}${value}`;
}

/** 'in_range' -> 'in range' */
export function words(code: string | null | undefined): string {
  return (code ?? '').replace(/_/g, ' ');
}

export function bandText(band: { low: number; high: number } | null | undefined): string {
  return band ? `${band.low}–${band.high}` : 'no band';
}

/**
 * A datetime-local input value ('2030-01-01T08:00', local wall-clock time) as an ISO instant in UTC
 * ('2030-01-01T07:00:00Z' at UTC+01:00). '' stays '' and anything unreadable is sent as typed, so the server names
 * the field instead of the app inventing a time.
 */
export function localInputToIso(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi, s = '0'] = m;
  // Set part by part in local time (setFullYear keeps years below 100 as written; a time in a DST gap moves forward).
  const t = new Date(0);
  t.setFullYear(Number(y), Number(mo) - 1, Number(d));
  t.setHours(Number(h), Number(mi), Number(s), 0);
  return Number.isNaN(t.getTime()) ? value : t.toISOString().replace('.000Z', 'Z');
}

/** An instant as a datetime-local value in local time ('2030-01-01T08:00'); now when no instant is given. */
export function isoToLocalInput(iso?: string): string {
  const d = iso === undefined ? new Date() : new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Now as a datetime-local value in local time (the default of every entry time; the clinician may change it). */
export function nowInput(): string {
  return isoToLocalInput();
}

/** The browser's time zone, written in the label of every time field ('Europe/Berlin'; 'UTC'). */
export function localZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === 'GMT' || !zone ? 'UTC' : zone;
}
