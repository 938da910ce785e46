// Time arithmetic on ISO 8601 strings without the clock: shift a given time by minutes, keeping its UTC offset, so
// a time computed from the episode's anchor is written the way the input wrote its own times.

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/** `time` + `minutes`, written with the same UTC offset as `time` (e.g. '2026-01-01T10:00+01:00' + 90 -> '…T11:30:00.000+01:00'). */
export function addMinutesIso(time: string, minutes: number): string | undefined {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  const m = OFFSET.exec(time);
  const offsetText = m ? m[1] : 'Z';
  let offset_min = 0;
  if (offsetText !== 'Z') {
    const sign = offsetText.startsWith('-') ? -1 : 1;
    const digits = offsetText.slice(1).replace(':', '');
    offset_min = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const local = new Date(ms + (minutes + offset_min) * 60_000).toISOString().slice(0, -1);
  return offsetText === 'Z' ? `${local}Z` : `${local}${offsetText.includes(':') ? offsetText : `${offsetText.slice(0, 3)}:${offsetText.slice(3)}`}`;
}
