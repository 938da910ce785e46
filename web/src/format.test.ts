/// <reference types="node" />
// Local-time entry and display: the same wall-clock time means different instants in different zones, so each case
// names its zone (process.env.TZ is read by Node on every Date operation) and the UTC instant worked out by hand.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fmtTime, isoToLocalInput, localInputToIso, localZone } from './format.js';

const saved = process.env['TZ'];
function inZone(zone: string, fn: () => void): void {
  process.env['TZ'] = zone;
  try {
    fn();
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
}

describe('entry times in local time', () => {
  after(() => {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  });

  it('reads a datetime-local value as local wall-clock time and sends the UTC instant', () => {
    inZone('Europe/Berlin', () => {
      assert.equal(localInputToIso('2022-01-15T14:30'), '2022-01-15T13:30:00Z', 'CET, UTC+1');
      assert.equal(localInputToIso('2022-07-15T14:30'), '2022-07-15T12:30:00Z', 'CEST, UTC+2');
      assert.equal(localInputToIso('2022-01-01T00:30'), '2021-12-31T23:30:00Z', 'the day before in UTC');
      assert.equal(localInputToIso('2022-03-27T02:30'), '2022-03-27T01:30:00Z', 'in the spring-forward gap: 03:30 CEST');
    });
    inZone('America/St_Johns', () => assert.equal(localInputToIso('2022-01-15T14:30'), '2022-01-15T18:00:00Z', 'UTC-3:30'));
    inZone('UTC', () => assert.equal(localInputToIso('2022-01-15T14:30:15'), '2022-01-15T14:30:15Z'));
  });

  it('passes an unreadable value through unchanged, so the server names the field', () => {
    assert.equal(localInputToIso(''), '');
    assert.equal(localInputToIso('yesterday'), 'yesterday');
  });

  it('shows an instant in local time with its offset, and fills an input with the same wall-clock time', () => {
    inZone('Europe/Berlin', () => {
      assert.equal(fmtTime('2022-01-15T13:30:00Z'), '2022-01-15 14:30 UTC+01:00');
      assert.equal(fmtTime('2022-07-15T12:30:00Z'), '2022-07-15 14:30 UTC+02:00');
      assert.equal(isoToLocalInput('2022-07-15T12:30:00Z'), '2022-07-15T14:30');
      assert.equal(localZone(), 'Europe/Berlin');
    });
    inZone('America/St_Johns', () => assert.equal(fmtTime('2022-01-15T18:00:00Z'), '2022-01-15 14:30 UTC-03:30'));
    inZone('UTC', () => {
      assert.equal(fmtTime('2022-01-15T13:30:00Z'), '2022-01-15 13:30 UTC');
      assert.equal(localZone(), 'UTC');
    });
    assert.equal(fmtTime('not a time'), 'not a time');
    assert.equal(fmtTime(undefined), '');
  });

  it('defaults an entry to now, to the minute', () => {
    inZone('Asia/Kolkata', () => {
      const t0 = Date.now();
      const sent = Date.parse(localInputToIso(isoToLocalInput()));
      const t1 = Date.now();
      assert.ok(sent <= t1 && t0 - sent < 60_000, `now as entered (${new Date(sent).toISOString()}) is within the current minute`);
    });
  });
});
