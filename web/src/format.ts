// Small display helpers shared by the pages.

export function fmtTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
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

/** A datetime-local input value ('2030-01-01T08:00') as an ISO instant in UTC. */
export function localInputToIso(value: string): string {
  return value === '' ? '' : new Date(value + ':00Z').toISOString().replace('.000Z', 'Z');
}

/** Now as a datetime-local value in UTC (the forms enter UTC times, labelled as such). */
export function nowInput(): string {
  return new Date().toISOString().slice(0, 16);
}
