// Cell parsers: the fast ISO check agrees with the episode schema's isoTimeSchema; local times take the mapping's
// offset; numbers with a decimal comma.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoTimeSchema } from '../../clinical/episode/episode-schema.js';
import { isIsoTime, parseNumberCell, parseTimeCell } from './cells.js';

test('isIsoTime agrees with isoTimeSchema (leap days, month ends, offsets, fractions)', () => {
  const samples = [
    '2024-02-29T10:00:00Z', '2023-02-29T10:00:00Z', '2000-02-29T00:00:00+01:00', '1900-02-29T00:00:00Z', '2026-04-31T10:00:00Z',
    '2026-12-31T23:59:59.999-05:00', '2026-01-01T24:00:00Z', '2026-01-01T10:00Z', '2026-01-01T10:00:00+0100', '2026-13-01T10:00:00Z',
    '2026-00-10T10:00:00Z', '2026-01-00T10:00:00Z', '2026-01-01 10:00:00Z', '2026-01-01T10:00:00+24:00', '2026-01-01T10:00:00',
  ];
  for (const s of samples) assert.equal(isIsoTime(s), isoTimeSchema.safeParse(s).success, s);
  const two = (n: number) => String(n).padStart(2, '0');
  const parts = fc.record({
    y: fc.integer({ min: 1896, max: 2104 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 24 }),
    off: fc.constantFrom('Z', '+01:00', '-09:30', '+14:00', '+25:00', ''),
    frac: fc.constantFrom('', '.5', '.123456'),
  });
  fc.assert(
    fc.property(parts, ({ y, mo, d, h, off, frac }) => {
      const s = `${y}-${two(mo)}-${two(d)}T${two(h)}:30:00${frac}${off}`;
      assert.equal(isIsoTime(s), isoTimeSchema.safeParse(s).success, s);
    }),
    { numRuns: 2000 },
  );
});

test('parseTimeCell: offsets kept, local times take the configured offset, never a guess', () => {
  assert.deepEqual(parseTimeCell('2026-01-01 10:00', '+01:00'), { ok: true, iso: '2026-01-01T10:00:00+01:00' });
  assert.deepEqual(parseTimeCell('2026-01-01T10:00:30.5', '-05:00'), { ok: true, iso: '2026-01-01T10:00:30.5-05:00' });
  assert.deepEqual(parseTimeCell('2026-01-01T10:00+0100', undefined), { ok: true, iso: '2026-01-01T10:00:00+01:00' });
  assert.deepEqual(parseTimeCell('2026-01-01T10:00:00Z', '+01:00'), { ok: true, iso: '2026-01-01T10:00:00Z' });
  const local = parseTimeCell('2026-01-01 10:00', undefined);
  assert.equal(local.ok, false);
  assert.match(local.ok ? '' : local.reason, /no UTC offset/);
  const dateOnly = parseTimeCell('2026-01-01', '+01:00');
  assert.match(dateOnly.ok ? '' : dateOnly.reason, /a date without a time of day/);
  assert.equal(parseTimeCell('2026-02-30 10:00', '+01:00').ok, false);
});

test('parseNumberCell: decimal point or comma, nothing else', () => {
  assert.equal(parseNumberCell('1.5'), 1.5);
  assert.equal(parseNumberCell('-.5'), -0.5);
  assert.equal(parseNumberCell('1e-3'), 0.001);
  assert.equal(parseNumberCell('1,5'), undefined);
  assert.equal(parseNumberCell('1,5', ','), 1.5);
  assert.equal(parseNumberCell('1.000,5', ','), undefined);
  for (const bad of ['', ' ', 'NaN', 'Infinity', '0x10', '1.2.3', '5 mg']) assert.equal(parseNumberCell(bad), undefined, bad);
});
