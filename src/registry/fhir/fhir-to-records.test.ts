// Import: bad input gives a rejection naming entry, field, value and reason (or ImportFileError for the file as a
// whole); an EHR-style Bundle with standard LOINC codes in non-canonical units imports with converted values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEpisode, type Episode } from '../../clinical/episode/episode.js';
import { ImportFileError, type Rejection } from '../record.js';
import { assertClose } from '../../../test/support/close.js';
import { repoRoot } from '../../../test/support/paths.js';
import { fhirBundleToRecords } from './fhir-to-records.js';
import { recordsToFhirBundle } from './record-to-fhir.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const opts = { file: 'in.json', now: NOW };

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'src', 'registry', 'fhir', '__fixtures__', name), 'utf8'));

/** A small valid Bundle from our own exporter, to which bad entries are appended. */
function baseEntries(): unknown[] {
  const b = recordsToFhirBundle([
    {
      site: 'site-01',
      patient: { sourceId: 'p1' },
      episode: {
        id: 'e1',
        anchor: { kind: 'admission', time: '2026-01-10T08:00:00Z' },
        demographics: { sex: 'male', weight: 80 },
        observations: [{ time: '2026-01-10T09:00:00Z', code: 'lactate_mmol_L', value: 4.2 }],
      },
    },
  ]);
  return JSON.parse(JSON.stringify(b.entry)) as unknown[];
}

const obs = (over: Record<string, unknown>): unknown => ({
  resource: {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2524-7' }] },
    subject: { reference: 'Patient/p1' },
    encounter: { reference: 'Encounter/e1' },
    effectiveDateTime: '2026-01-10T10:00:00Z',
    valueQuantity: { value: 2.5, unit: 'mmol/L' },
    ...over,
  },
});

function importWith(extra: unknown[]): { rejections: Rejection[]; base: number; episodes: Episode[] } {
  const entries = [...baseEntries(), ...extra];
  const base = entries.length - extra.length;
  const result = fhirBundleToRecords({ resourceType: 'Bundle', type: 'collection', entry: entries }, opts);
  assert.equal(result.rowsRead, entries.length);
  const episodes = result.records.map((r) => {
    const p = parseEpisode(r.episode);
    assert.ok(p.ok, JSON.stringify(!p.ok && p.problems));
    return p.episode;
  });
  return { rejections: result.rejections, base, episodes };
}

/** The one rejection of a Bundle with one bad entry appended: its row, field, value and reason. */
function onlyRejection(bad: unknown): { r: Rejection; row: number; path: string } {
  const { rejections, base, episodes } = importWith([bad]);
  assert.equal(rejections.length, 1, JSON.stringify(rejections));
  // The good entries still make their record; the bad one is not in it.
  assert.equal(episodes.length, 1);
  assert.equal(episodes[0].observations.length, 1);
  return { r: rejections[0], row: base + 1, path: `entry[${base}].resource` };
}

describe('FHIR import: bad entries become rejections', () => {
  it('our own small Bundle imports with no rejection', () => {
    const { rejections, episodes } = importWith([]);
    assert.deepEqual(rejections, []);
    assert.equal(episodes[0].observations[0].value, 4.2);
  });

  it('unknown resource type: names the types Stratum reads', () => {
    const { r, row, path } = onlyRejection({ resource: { resourceType: 'Immunization', id: 'x' } });
    assert.equal(r.row, row);
    assert.equal(r.field, `${path}.resourceType`);
    assert.equal(r.value, 'Immunization');
    assert.match(r.reason, /Patient, Encounter, Observation, MedicationAdministration, Procedure, Device, Condition/);
  });

  it('reference to a Patient not in the Bundle', () => {
    const { r, path } = onlyRejection(obs({ subject: { reference: 'Patient/nobody' }, encounter: undefined }));
    assert.equal(r.field, `${path}.subject.reference`);
    assert.equal(r.value, 'Patient/nobody');
    assert.match(r.reason, /Patient of this Bundle/);
  });

  it('reference to an Encounter not in the Bundle', () => {
    const { r, path } = onlyRejection(obs({ encounter: { reference: 'Encounter/gone' } }));
    assert.equal(r.field, `${path}.encounter.reference`);
    assert.equal(r.value, 'Encounter/gone');
  });

  it('duplicate resource id (same type and id twice)', () => {
    const { r, path } = onlyRejection(obs({ id: 'e1-o0' }));
    assert.equal(r.field, `${path}.id`);
    assert.equal(r.value, 'e1-o0');
    assert.match(r.reason, /not used by another Observation/);
  });

  it('a unit that cannot be converted', () => {
    const { r, path } = onlyRejection(obs({ valueQuantity: { value: 3, unit: 'furlong', code: '[fur_us]' } }));
    assert.equal(r.field, `${path}.valueQuantity.unit`);
    assert.equal(r.value, 'furlong');
    assert.match(r.reason, /mmol\/L/);
  });

  it('a LOINC code Stratum does not know', () => {
    const { r, path } = onlyRejection(obs({ code: { coding: [{ system: 'http://loinc.org', code: '1558-6' }] } }));
    assert.equal(r.field, `${path}.code.coding[0].code`);
    assert.equal(r.value, '1558-6');
    assert.match(r.reason, /LOINC code Stratum knows/);
  });

  it('a time later than now (future date)', () => {
    const { r, path } = onlyRejection(obs({ effectiveDateTime: '2027-01-01T00:00:00Z' }));
    assert.equal(r.field, `${path}.effectiveDateTime`);
    assert.equal(r.value, '2027-01-01T00:00:00Z');
    assert.match(r.reason, /not in the future/);
  });

  it('missing required elements: value, time', () => {
    const a = onlyRejection(obs({ valueQuantity: undefined }));
    assert.equal(a.r.field, `${a.path}.valueQuantity`);
    assert.equal(a.r.value, '(missing)');
    const b = onlyRejection(obs({ effectiveDateTime: undefined }));
    assert.equal(b.r.field, `${b.path}.effectiveDateTime`);
  });

  it('a date-time without an offset', () => {
    const { r, path } = onlyRejection(obs({ effectiveDateTime: '2026-01-10T10:00:00' }));
    assert.equal(r.field, `${path}.effectiveDateTime`);
    assert.match(r.reason, /offset/);
  });

  it('an entry without a resource', () => {
    const { r, path } = onlyRejection({ fullUrl: 'x' });
    assert.equal(r.field, path);
  });

  it('an Encounter whose Patient is missing is rejected, and so are the resources in it', () => {
    const enc = { resource: { resourceType: 'Encounter', id: 'e2', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/ghost' }, period: { start: '2026-01-01T00:00:00Z' }, serviceProvider: { identifier: { value: 's' } } } };
    const { rejections, base } = importWith([enc, obs({ encounter: { reference: 'Encounter/e2' }, subject: undefined })]);
    assert.deepEqual(rejections.map((r) => [r.row, r.field]), [
      [base + 1, `entry[${base}].resource.subject.reference`],
      [base + 2, `entry[${base + 1}].resource.encounter.reference`],
    ]);
    assert.match(rejections[1].reason, new RegExp(`entry ${base + 1} was rejected`));
  });

  it('a Device no Procedure places is rejected, not dropped', () => {
    const { r, path } = onlyRejection({ resource: { resourceType: 'Device', id: 'loose', patient: { reference: 'Patient/p1' } } });
    assert.equal(r.field, path);
    assert.match(r.reason, /Procedure/);
  });
});

describe('FHIR import: whole-file problems throw ImportFileError', () => {
  const cases: [string, unknown, string][] = [
    ['not JSON', '{"resourceType": "Bundle", "entry": [', '(file)'],
    ['not an object', '[1, 2]', '(file)'],
    ['not a Bundle', { resourceType: 'Patient', id: 'p' }, 'resourceType'],
    ['a Bundle without entries', { resourceType: 'Bundle', type: 'collection' }, 'entry'],
    ['entries not an array', { resourceType: 'Bundle', type: 'collection', entry: {} }, 'entry'],
  ];
  for (const [name, input, field] of cases) {
    it(name, () => {
      assert.throws(
        () => fhirBundleToRecords(input, opts),
        (e: unknown) => e instanceof ImportFileError && e.file === 'in.json' && e.field === field && e.expected.length > 0,
      );
    });
  }
});

describe('FHIR import: an EHR-style Bundle (standard LOINC, non-canonical units)', () => {
  const result = fhirBundleToRecords(fixture('ehr-bundle.json'), { file: 'ehr-bundle.json', now: NOW });
  const parsed = parseEpisode(result.records[0]?.episode);
  const episode = parsed.ok ? parsed.episode : assert.fail(JSON.stringify(!parsed.ok && parsed.problems));
  const value = (code: string): number => {
    const o = episode.observations.find((x) => x.code === code);
    assert.ok(o, code);
    return o.value;
  };

  it('imports every entry: one record, no rejection', () => {
    assert.deepEqual(result.rejections, []);
    assert.equal(result.records.length, 1);
    assert.equal(result.rowsRead, 11);
  });

  it('identity, site and anchor come from Patient and Encounter', () => {
    const r = result.records[0];
    assert.equal(r.site, 'hospital-7');
    assert.deepEqual(r.patient, { sourceId: 'ehr-pat-1', mrn: 'MRN-000123', familyName: 'Synthetic', givenName: 'Ada Maria', birthDate: '1956-07-14', postalCode: '80331' });
    assert.deepEqual(episode.anchor, { kind: 'admission', time: '2026-03-02T06:15:00+01:00' });
    assert.equal(episode.demographics.sex, 'female');
    assert.equal(episode.times.discharge, '2026-03-09T22:40:00+01:00');
  });

  it('--site overrides the Encounter site', () => {
    const r = fhirBundleToRecords(fixture('ehr-bundle.json'), { file: 'x', now: NOW, site: 'site-03' });
    assert.equal(r.records[0].site, 'site-03');
  });

  it('converts units on the way in (reference section 8 factors)', () => {
    // Lactate 45 mg/dL x 10 / 90.08 (molar mass 90.08 g/mol) = 4.99556 mmol/L.
    assertClose(value('lactate_mmol_L'), 4.995559502664, 1e-9, 'lactate');
    // Creatinine 221 umol/L / 88.4 = 2.5 mg/dL.
    assertClose(value('creatinine_mg_dL'), 2.5, 1e-9, 'creatinine');
    // Hemoglobin 95 g/L / 10 = 9.5 g/dL.
    assertClose(value('hemoglobin_g_dL'), 9.5, 1e-9, 'hemoglobin');
    // Temperature 98.6 degF: (98.6 - 32) x 5/9 = 37 Cel (unit read from Quantity.code when Quantity.unit is free text).
    assertClose(value('temperature_C'), 37, 1e-9, 'temperature');
    // Platelets 142 10*3/uL = 142 10*9/L.
    assertClose(value('platelets_10e9_L'), 142, 1e-9, 'platelets');
    // Weight 180 [lb_av] x 0.45359237 = 81.6466266 kg.
    assertClose(episode.demographics.weight_kg, 81.6466266, 1e-9, 'weight');
  });

  it('reads vitals: heart rate, and a blood-pressure panel as one observation per component', () => {
    assert.equal(value('heart_rate_per_min'), 118);
    assert.equal(value('sbp_mmHg'), 82);
    assert.equal(value('dbp_mmHg'), 48);
  });

  it('a ">" comparator is a censored value; an Observation naming only its Patient joins the only Encounter', () => {
    const trop = episode.observations.find((o) => o.code === 'troponin_ng_L');
    assert.equal(trop?.censored, 'gt');
    assert.equal(trop?.value, 50000);
  });

  it('Patient.deceasedDateTime without a death Condition becomes a death event (cause unknown)', () => {
    assert.deepEqual(episode.events.map((e) => [e.kind, e.time, e.kind === 'death' ? e.cause : '']), [['death', '2026-03-09T22:40:00+01:00', 'unknown']]);
  });

  it('sourceRows map episode paths back to entries', () => {
    const rows = result.records[0].sourceRows ?? {};
    assert.equal(rows[''], 2);
    assert.equal(rows['demographics'], 1);
    assert.equal(rows['demographics.weight'], 6);
    // Input order: BP panel (entry 3) gives observations[0] and [1], heart rate (entry 4) observations[2].
    assert.equal(rows['observations[0]'], 3);
    assert.equal(rows['observations[1]'], 3);
    assert.equal(rows['observations[2]'], 4);
  });
});
