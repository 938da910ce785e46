import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SYNTH_PARAMETERS, SynthParameterError, checkSynthParameters, synthParameters } from './synth-parameters.js';

test('the defaults pass their own checks; the true within-stage device effect on death is null', () => {
  checkSynthParameters(DEFAULT_SYNTH_PARAMETERS);
  for (const v of Object.values(DEFAULT_SYNTH_PARAMETERS.death.deviceLogHr)) assert.equal(v, 0);
});

test('overrides merge key by key into nested objects', () => {
  const p = synthParameters({ patients: 10, death: { deviceLogHr: { iabp: 0, microaxial: 0.3, va_ecmo: 0, combination: 0, none: 0 } }, siteMix: { parallelProtocolShare: 1 } });
  assert.equal(p.patients, 10);
  assert.equal(p.death.deviceLogHr.microaxial, 0.3);
  assert.equal(p.death.weibullShape, DEFAULT_SYNTH_PARAMETERS.death.weibullShape);
  assert.equal(p.siteMix.parallelProtocolShare, 1);
  assert.equal(p.siteMix.caseMixSd, DEFAULT_SYNTH_PARAMETERS.siteMix.caseMixSd);
});

test('a bad parameter is an error naming the field, the value and the expectation', () => {
  assert.throws(() => synthParameters({ patients: -3 }), (e: unknown) => e instanceof SynthParameterError && e.field === 'patients' && /-3/.test(e.message) && /integer ≥ 0/.test(e.message));
  assert.throws(() => synthParameters({ death: { oneYearRiskByStage: { B: 0.2, C: 1.2, D: 0.6, E: 0.8 } } }), /death\.oneYearRiskByStage\.C: got 1\.2/);
  assert.throws(() => synthParameters({ severity: { bToC: 1, cToD: 0, dToE: 2 } }), /bToC < cToD < dToE/);
  assert.throws(() => synthParameters({ startDate: '2022-13-45' }), /startDate/);
  assert.throws(() => synthParameters({ seed: 1.5 }), /seed/);
  assert.throws(() => synthParameters({ complications: { strokeRisk30d: { iabp: 0.01, microaxial: 1.5, va_ecmo: 0, combination: 0, none: 0 } } }), /complications\.strokeRisk30d\.microaxial: got 1\.5/);
  assert.throws(() => synthParameters({ complications: { hemorrhagicStrokeShare: -0.1 } }), /hemorrhagicStrokeShare/);
});
