// How a REDCap project's fields map onto the canonical episode (src/clinical/episode/episode-schema.ts): the mapping
// file a site passes with `--mapping`. The shipped one, for the shipped dictionary, is
// examples/redcap/stratum-cs-mcs-mapping.json; docs/redcap.md explains the format.
import { z } from 'zod';
import { OBSERVATION_CODE_NAMES } from '../../clinical/episode/observation-codes.js';
import { acceptedUnits, findUnit } from '../../clinical/episode/units.js';
import { ImportFileError } from '../record.js';
import type { RedcapDictionary, RedcapField } from './redcap-dictionary.js';

const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a REDCap variable name');
/** A dotted path into the target object, e.g. 'facts.hbBaseline.value'. */
const itemPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, "a dotted path such as 'facts.site'");

export const PATIENT_PATHS = ['mrn', 'familyName', 'givenName', 'birthDate', 'postalCode'] as const;
/** Root paths: 'patient.<PatientIdentity key>' or 'episode.<path>' (not id or site, which the importer sets). */
const rootPath = z.union([
  z.enum(PATIENT_PATHS.map((p) => `patient.${p}` as const)),
  itemPath.regex(/^episode\.(?!id$|site$|formatVersion$)/, "'episode.<path>' other than episode.id, episode.site and episode.formatVersion"),
]);

/** A field's target: a path, or a path with a translation of choice codes into canonical values. */
const fieldTargetSchema = <P extends z.ZodString | typeof rootPath>(path: P) =>
  z.union([
    path,
    z.strictObject({
      path,
      /** REDCap choice code -> canonical value; codes not listed are taken as the canonical value itself. */
      values: z.record(z.string(), z.string()).optional(),
      /**
       * The raw value is an instance number of this repeating instrument (in the same event); the path receives the
       * index, in the record's `events`, of the event built from that instance (transfusion.forBleedingEvent).
       */
      ref: fieldName.optional(),
    }),
  ]);

export const ITEM_TARGETS = ['devices', 'infusions', 'boluses', 'purge', 'supports', 'events', 'anticoagulation', 'followUp'] as const;
export type ItemTarget = (typeof ITEM_TARGETS)[number];

const rootGroupSchema = z.strictObject({
  form: fieldName,
  target: z.literal('root'),
  fields: z.record(fieldName, fieldTargetSchema(rootPath)),
});

const itemGroupSchema = z.strictObject({
  form: fieldName,
  /** The episode collection each instance (or the form's row) adds an item to; 'followUp' keeps the latest contact. */
  target: z.enum(ITEM_TARGETS),
  /** Properties every item of this group has, e.g. {"kind": "bleeding"}; an item is exported here only if they match. */
  fixed: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** The item exists only when this field holds this raw code (e.g. arrest_present = 1). */
  presentIf: z.strictObject({ field: fieldName, equals: z.string() }).optional(),
  fields: z.record(fieldName, fieldTargetSchema(itemPath)),
});

const observationValueSchema = z
  .strictObject({
    code: z.enum(OBSERVATION_CODE_NAMES),
    /** The unit the REDCap field is entered in (fixed by the dictionary's field note and validation). */
    unit: z.string().min(1),
    /** For rates over a period (urine output): the field holding the period in minutes. */
    periodField: fieldName.optional(),
  })
  .superRefine((v, ctx) => {
    if (!findUnit(v.code, v.unit)) {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: `unit '${v.unit}' is not accepted for ${v.code}; expected one of ${acceptedUnits(v.code).join(', ')}` });
    }
  });

const observationGroupSchema = z.strictObject({
  form: fieldName,
  target: z.literal('observations'),
  /** The date-time field every value of an instance was measured at. */
  time: fieldName,
  /** Value fields: each non-empty one becomes an observation at `time`. */
  values: z.record(fieldName, observationValueSchema),
});

export const redcapGroupSchema = z.union([rootGroupSchema, itemGroupSchema, observationGroupSchema]);

export const redcapMappingSchema = z.strictObject({
  formatVersion: z.literal('1'),
  description: z.string().optional(),
  /** UTC offset of the site's clock: REDCap date-times carry none (e.g. '+01:00', 'Z'). */
  timezoneOffset: z.string().regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, "a UTC offset such as '+01:00' or 'Z'"),
  /** Site code used when the import is not given one (else the record's data access group). */
  site: z.string().min(1).optional(),
  /** Longitudinal projects: the unique event names (redcap_event_name). Absent: a classic project. */
  events: z
    .strictObject({
      /** Events holding the shock episode; the first is where an export writes it. */
      baseline: z.array(z.string().min(1)).min(1),
      /** Follow-up events (30 days, 1 year): the follow-up form's latest contact becomes episode.followUp. */
      followUp: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** Instruments enabled as repeating instruments in the project. */
  repeatingInstruments: z.array(fieldName).default([]),
  /** Dictionary fields deliberately not imported (any other unmapped field is an error, so nothing is lost unseen). */
  ignore: z.array(fieldName).default([]),
  groups: z.array(redcapGroupSchema).min(1),
});

export type RedcapMapping = z.output<typeof redcapMappingSchema>;
export type RedcapMappingInput = z.input<typeof redcapMappingSchema>;
export type RedcapGroup = RedcapMapping['groups'][number];
export type RedcapRootGroup = z.output<typeof rootGroupSchema>;
export type RedcapItemGroup = z.output<typeof itemGroupSchema>;
export type RedcapObservationGroup = z.output<typeof observationGroupSchema>;

/** A field target in its long form. */
export interface FieldTarget {
  readonly path: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly ref?: string;
}

export function fieldTarget(spec: string | FieldTarget): FieldTarget {
  return typeof spec === 'string' ? { path: spec } : spec;
}

/** Every dictionary field a group reads (fields, presentIf, time, values, periods). */
export function groupFieldNames(group: RedcapGroup): string[] {
  if (group.target === 'observations') {
    return [group.time, ...Object.keys(group.values), ...Object.values(group.values).flatMap((v) => (v.periodField ? [v.periodField] : []))];
  }
  if (group.target === 'root') return Object.keys(group.fields);
  return [...Object.keys(group.fields), ...(group.presentIf ? [group.presentIf.field] : [])];
}

/**
 * Checks a mapping against a dictionary: every field it names exists, sits in the group's instrument and has a
 * fitting type; choice translations use real codes; every dictionary field is mapped or listed in `ignore`.
 * Throws ImportFileError naming the mapping file, the field and what was expected.
 */
export function checkRedcapMapping(mapping: RedcapMapping, dictionary: RedcapDictionary, mappingFile = 'mapping'): void {
  const fail = (field: string, value: string, expected: string): never => {
    throw new ImportFileError(mappingFile, field, value, expected);
  };
  const used = new Set<string>([dictionary.recordIdField]);
  const lookup = (name: string, form: string, where: string): RedcapField => {
    const field = dictionary.byName.get(name) ?? fail(where, name, `a field of the data dictionary ${dictionary.file}`);
    if (field.form !== form) fail(where, name, `a field of instrument '${form}' (it is in '${field.form}')`);
    if (field.type === 'descriptive' || field.type === 'file') fail(where, name, 'a field that holds data (not descriptive or file)');
    used.add(name);
    return field;
  };
  for (const form of mapping.repeatingInstruments) {
    if (!dictionary.forms.includes(form)) fail('repeatingInstruments', form, `an instrument of the dictionary (${dictionary.forms.join(', ')})`);
  }
  mapping.groups.forEach((group, g) => {
    const at = `groups[${g}]`;
    if (!dictionary.forms.includes(group.form)) fail(`${at}.form`, group.form, `an instrument of the dictionary (${dictionary.forms.join(', ')})`);
    if (group.target === 'observations') {
      const time = lookup(group.time, group.form, `${at}.time`);
      if (time.valueKind !== 'datetime' && time.valueKind !== 'datetime_seconds') fail(`${at}.time`, group.time, 'a date-time field');
      for (const [name, value] of Object.entries(group.values)) {
        const field = lookup(name, group.form, `${at}.values`);
        if (field.valueKind !== 'number' && field.valueKind !== 'integer') fail(`${at}.values.${name}`, field.validation ?? field.type, 'a number or integer field');
        if (value.periodField !== undefined) lookup(value.periodField, group.form, `${at}.values.${name}.periodField`);
      }
      return;
    }
    if (group.target !== 'root' && group.presentIf) {
      const field = lookup(group.presentIf.field, group.form, `${at}.presentIf.field`);
      if (!field.choices.some((c) => c.code === group.presentIf?.equals)) fail(`${at}.presentIf.equals`, group.presentIf.equals, `a choice code of ${field.name}`);
    }
    if (group.target === 'root' && mapping.repeatingInstruments.includes(group.form)) {
      fail(`${at}.form`, group.form, 'a non-repeating instrument for a root group');
    }
    for (const [name, spec] of Object.entries(group.fields)) {
      const field = lookup(name, group.form, `${at}.fields`);
      const target = fieldTarget(spec);
      for (const code of Object.keys(target.values ?? {})) {
        if (!field.choices.some((c) => c.code === code)) fail(`${at}.fields.${name}.values`, code, `a choice code of ${name} (${field.choices.map((c) => c.code).join(', ') || 'it has none'})`);
      }
      if (target.ref !== undefined) {
        if (!mapping.repeatingInstruments.includes(target.ref)) fail(`${at}.fields.${name}.ref`, target.ref, 'a repeating instrument');
        if (field.valueKind !== 'integer') fail(`${at}.fields.${name}`, field.validation ?? field.type, 'an integer field (an instance number)');
      }
    }
  });
  for (const name of mapping.ignore) if (!dictionary.byName.has(name)) fail('ignore', name, 'a field of the data dictionary');
  for (const field of dictionary.fields) {
    if (field.type === 'descriptive' || used.has(field.name) || mapping.ignore.includes(field.name)) continue;
    fail('groups', field.name, `a mapping for dictionary field '${field.name}' (line ${field.line}), or its name in 'ignore'`);
  }
}
