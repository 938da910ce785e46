import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMinutesIso } from './time.js';

test('addMinutesIso keeps the offset of the given time', () => {
  assert.equal(addMinutesIso('2026-01-01T10:00:00+01:00', 90), '2026-01-01T11:30:00.000+01:00');
  assert.equal(addMinutesIso('2026-01-01T23:30:00Z', 60), '2026-01-02T00:30:00.000Z');
  assert.equal(addMinutesIso('2026-01-01T01:00:00-05:00', -120), '2025-12-31T23:00:00.000-05:00');
  assert.equal(addMinutesIso('not a time', 5), undefined);
});
