// The mapping file of a CSV from another system (JSON, validated by csvMappingSchema; documented with examples in
// docs/csv-import.md and examples/mappings/). Long format: one observation (or one episode-level fact) per row,
// source item names mapped to observation codes or episode fields. Wide format: one row per patient, each column
// mapped to a field or to an observation at a time column or a fixed offset from the anchor.
import { z } from 'zod';
import {
  ACCESS_SITES,
  ANCHOR_KINDS,
  DEVICE_KINDS,
  ETIOLOGIES,
  FOLLOW_UP_SOURCES,
  INFARCT_LOCATIONS,
  MICROAXIAL_MODELS,
  SELECTION_REASONS,
  SEXES,
  SPECIMENS,
} from '../../clinical/episode/episode-schema.js';
import { OBSERVATION_CODE_NAMES } from '../../clinical/episode/observation-codes.js';
import { UTC_OFFSET } from './cells.js';

/** Death causes of the episode format's death event. */
export const DEATH_CAUSES = ['cardiovascular', 'bleeding', 'neurologic', 'multiorgan_failure', 'infection', 'other', 'unknown'] as const;

/** How a mapped field's cell is read. */
export type FieldValueKind = 'text' | 'date' | 'time' | 'number' | 'boolean' | 'enum' | 'list';

interface FieldDef {
  readonly kind: FieldValueKind;
  /** Allowed values of an enum or list field (after the target's `values` translation). */
  readonly allowed?: readonly string[];
  /** The field belongs to a device: long files name the device kind in the target (deviceKind). */
  readonly device?: true;
  /** Only wide files can use it (long files carry it in dedicated columns). */
  readonly wideOnly?: true;
}

/** Every episode-level field a mapping can fill, with how its value is read. */
export const MAPPED_FIELDS = {
  patient_id: { kind: 'text', wideOnly: true },
  episode_id: { kind: 'text', wideOnly: true },
  mrn: { kind: 'text' },
  family_name: { kind: 'text' },
  given_name: { kind: 'text' },
  birth_date: { kind: 'date' },
  postal_code: { kind: 'text' },
  anchor: { kind: 'time' },
  admission: { kind: 'time' },
  cicu_admission: { kind: 'time' },
  shock_onset: { kind: 'time' },
  pci_start: { kind: 'time' },
  discharge: { kind: 'time' },
  age_years: { kind: 'number' },
  sex: { kind: 'enum', allowed: SEXES },
  weight: { kind: 'number' },
  height: { kind: 'number' },
  etiology: { kind: 'enum', allowed: ETIOLOGIES },
  infarct_location: { kind: 'enum', allowed: INFARCT_LOCATIONS },
  stemi: { kind: 'boolean' },
  clinician_reported_cs: { kind: 'boolean' },
  baseline_sbp_mmHg: { kind: 'number' },
  device_kind: { kind: 'enum', allowed: DEVICE_KINDS, device: true, wideOnly: true },
  device_model: { kind: 'enum', allowed: MICROAXIAL_MODELS, device: true },
  device_insertion: { kind: 'time', device: true },
  device_removal: { kind: 'time', device: true },
  device_selection_reasons: { kind: 'list', allowed: SELECTION_REASONS, device: true },
  device_access_site: { kind: 'enum', allowed: ACCESS_SITES, device: true },
  death_time: { kind: 'time' },
  death_cause: { kind: 'enum', allowed: DEATH_CAUSES },
  last_known_alive: { kind: 'time' },
  follow_up_source: { kind: 'enum', allowed: FOLLOW_UP_SOURCES },
} as const satisfies Record<string, FieldDef>;

export type MappedFieldName = keyof typeof MAPPED_FIELDS;
const FIELD_NAMES = Object.keys(MAPPED_FIELDS) as [MappedFieldName, ...MappedFieldName[]];

export function fieldDef(name: MappedFieldName): FieldDef {
  return MAPPED_FIELDS[name];
}

/** Source value -> canonical value, e.g. { "M": "male", "W": "female" } or { "Impella": "microaxial" }. */
const valuesSchema = z.record(z.string(), z.string());

/** An observation: the canonical code, and the unit to assume when the file gives none. */
const observationTargetShape = {
  observation: z.enum(OBSERVATION_CODE_NAMES),
  /** Unit assumed when the unit cell is empty or there is no unit column; default: the code's canonical unit. */
  unit: z.string().min(1).optional(),
  specimen: z.enum(SPECIMENS).optional(),
  method: z.string().min(1).optional(),
};

const fieldTargetSchema = z
  .object({
    field: z.enum(FIELD_NAMES),
    /** Anchor only: what the anchor time is. */
    anchorKind: z.enum(ANCHOR_KINDS).optional(),
    /** Device fields: the device kind (long files; in wide files instead of a device_kind column). */
    deviceKind: z.enum(DEVICE_KINDS).optional(),
    /** Wide files: which device of the row (0, 1, ...) when a row carries several. */
    device: z.number().int().min(0).max(9).optional(),
    /** Weight and height: the unit of the numbers (default kg, cm). */
    unit: z.string().min(1).optional(),
    values: valuesSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.field === 'anchor' && !t.anchorKind) ctx.addIssue({ code: 'custom', path: ['anchorKind'], message: `the anchor needs its kind: one of ${ANCHOR_KINDS.join(', ')}` });
    if (t.unit !== undefined && t.field !== 'weight' && t.field !== 'height') ctx.addIssue({ code: 'custom', path: ['unit'], message: 'only weight and height take a unit' });
  });

const longTargetSchema = z.union([z.object(observationTargetShape).strict(), fieldTargetSchema]);

const wideObservationTargetSchema = z
  .object({
    ...observationTargetShape,
    /** Hours after the anchor at which the value was taken (e.g. 0 for 'lactate_0h', 24 for 'lactate_24h'). */
    offsetHours: z.number().finite().optional(),
    /** Or: the column holding the time of this value. */
    timeColumn: z.string().min(1).optional(),
  })
  .strict()
  .refine((t) => (t.offsetHours === undefined) !== (t.timeColumn === undefined), { message: 'give exactly one of offsetHours or timeColumn' });

const wideTargetSchema = z.union([wideObservationTargetSchema, fieldTargetSchema]);

/** When no row or column gives the anchor: derive it from another time of the episode. */
const anchorRuleSchema = z
  .object({
    kind: z.enum(ANCHOR_KINDS),
    from: z.enum(['admission', 'cicu_admission', 'shock_onset', 'first_device_insertion', 'first_observation']),
  })
  .strict();

const common = {
  description: z.string().optional(),
  /** Site code; the import's --site wins. */
  site: z.string().min(1).optional(),
  /** UTC offset for times written without one ('+01:00'). Absent: such times are rejected. */
  timezone: z.string().regex(UTC_OFFSET, "a UTC offset like '+01:00', '-05:00' or 'Z'").optional(),
  delimiter: z.enum([',', ';', '\t']).default(','),
  /** Decimal separator of numbers ('1,5' in many European exports). */
  decimal: z.enum(['.', ',']).default('.'),
  /** Unit spellings of the source -> UCUM as the episode format accepts it, e.g. { "mmol/l": "mmol/L" }. */
  units: z.record(z.string(), z.string().min(1)).default({}),
  anchor: anchorRuleSchema.optional(),
  /** Columns of the file to skip on purpose; any other column the mapping does not use is reported. */
  ignoreColumns: z.array(z.string()).default([]),
};

export const longMappingSchema = z
  .object({
    format: z.literal('long'),
    ...common,
    columns: z
      .object({
        patientId: z.string().min(1),
        episodeId: z.string().min(1).optional(),
        time: z.string().min(1),
        item: z.string().min(1),
        value: z.string().min(1),
        unit: z.string().min(1).optional(),
      })
      .strict(),
    items: z.record(z.string(), longTargetSchema),
    /** Item names to skip on purpose (counted, not rejected). */
    ignoreItems: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [name, t] of Object.entries(m.items)) {
      if (!('field' in t)) continue;
      const def = fieldDef(t.field);
      if ('wideOnly' in def) ctx.addIssue({ code: 'custom', path: ['items', name, 'field'], message: `${t.field} comes from the columns of a long file, not from an item` });
      if ('device' in def && !t.deviceKind) ctx.addIssue({ code: 'custom', path: ['items', name, 'deviceKind'], message: 'device fields in a long file need deviceKind' });
    }
  });

export const wideMappingSchema = z
  .object({
    format: z.literal('wide'),
    ...common,
    columns: z.record(z.string(), wideTargetSchema),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = Object.entries(m.columns).filter(([, t]) => 'field' in t && t.field === 'patient_id');
    if (ids.length !== 1) ctx.addIssue({ code: 'custom', path: ['columns'], message: `exactly one column must map to field patient_id (found ${ids.length})` });
  });

export const csvMappingSchema = z.discriminatedUnion('format', [longMappingSchema, wideMappingSchema]);

export type CsvMapping = z.output<typeof csvMappingSchema>;
export type LongCsvMapping = z.output<typeof longMappingSchema>;
export type WideCsvMapping = z.output<typeof wideMappingSchema>;
export type FieldTarget = z.output<typeof fieldTargetSchema>;
export type ObservationTarget = z.output<z.ZodObject<typeof observationTargetShape>>;
export type WideObservationTarget = z.output<typeof wideObservationTargetSchema>;
