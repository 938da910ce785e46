import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caModifier2019, caModifier2022, cardiacArrestModifier } from './arrest-modifier.js';

test('CA modifier 2019: any cardiac arrest (reference 1.2)', () => {
  assert.equal(caModifier2019([]).value, false);
  assert.equal(caModifier2019([{ t_min: 0, gcsAfter: 15 }]).value, true);
});

test('CA modifier 2022: arrest with coma, GCS < 9 — boundary 8 / 9 (reference 1.2)', () => {
  assert.equal(caModifier2022([{ t_min: 0, gcsAfter: 8 }]).value, true);
  assert.equal(caModifier2022([{ t_min: 0, gcsAfter: 9 }]).value, false);
  assert.equal(caModifier2022([{ t_min: 0, gcsAfter: 3 }]).value, true);
  assert.equal(caModifier2022([{ t_min: 0, comaAfterArrest: true, gcsAfter: 10 }]).value, true, 'recorded coma wins');
  assert.equal(caModifier2022([]).value, false);
});

test('CA modifier 2022: coma status missing is unknown, never silently absent (reference 1.6)', () => {
  const r = caModifier2022([{ t_min: 0 }]);
  assert.equal(r.value, 'unknown');
  assert.deepEqual(r.missing, ['cardiac_arrest.gcsAfter']);
  assert.equal(caModifier2022([{ t_min: 0 }, { t_min: 5, gcsAfter: 4 }]).value, true, 'a proven comatose arrest decides');
  assert.equal(caModifier2022([{ t_min: 0, comaAfterArrest: false }]).value, false);
});

test('CA modifier counts only arrests up to the assessment time', () => {
  const arrests = [{ t_min: 120, gcsAfter: 5 }];
  assert.equal(cardiacArrestModifier(arrests, '2022', 60).value, false);
  assert.equal(cardiacArrestModifier(arrests, '2022', 120).value, true);
  assert.equal(cardiacArrestModifier(arrests, '2019', 119).value, false);
});
