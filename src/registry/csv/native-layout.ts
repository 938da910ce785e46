// The native Stratum CSV layout: one file per list of the canonical episode format (docs/csv-import.md), columns
// named for the episode fields. This file is the single description of the layout; the writer (native-write.ts) and
// the reader (native-read.ts) both walk it, so they cannot drift apart. Each column's validity rule is the episode
// schema's own field schema (looked up by path), so a cell is accepted exactly when the JSON format would accept it.
import { z } from 'zod';
import {
  anticoagulationInForceInputSchema,
  bolusInputSchema,
  deviceInputSchema,
  episodeInputSchema,
  eventInputSchema,
  infusionInputSchema,
  isoTimeSchema,
  observationInputSchema,
  purgeInputSchema,
  supportInputSchema,
} from '../../clinical/episode/episode-schema.js';

/**
 * How a cell's text becomes a value: text as is; a decimal number; true/false; JSON; a ';'-separated list;
 * qvalue/qunit: the two columns of a weight or height, a bare number (kg, cm) when the unit column is empty.
 */
export type CellConversion = 'text' | 'number' | 'boolean' | 'json' | 'list' | 'qvalue' | 'qunit';

export interface NativeColumn {
  readonly name: string;
  /** Property path inside the row's object (for episodes.csv: { patient, episode }). */
  readonly path: readonly string[];
  readonly conversion: CellConversion;
}

/** The list of the episode a child file fills. */
export type NativeListKey = 'observations' | 'infusions' | 'boluses' | 'purge' | 'devices' | 'supports' | 'events' | 'anticoagulation';

export interface NativeTable {
  readonly file: string;
  /** Absent for episodes.csv (one row per episode); else the episode list each row appends to. */
  readonly list?: NativeListKey;
  /** Schema of one row's object: an object schema, or a discriminated union on `kind` (devices, events). */
  readonly schema: z.ZodType;
  readonly columns: readonly NativeColumn[];
}

/** Key columns that start every file: the row's site and the episode id it belongs to. */
export const KEY_COLUMNS = ['site', 'episode_id'] as const;

const col = (name: string, path: string, conversion: CellConversion = 'text'): NativeColumn => ({ name, path: path.split('.'), conversion });

/** The patient identity as the native layout checks it (PatientIdentity in record.ts). */
const patientIdentitySchema = z.object({
  sourceId: z.string().min(1),
  mrn: z.string().min(1).optional(),
  familyName: z.string().min(1).optional(),
  givenName: z.string().min(1).optional(),
  birthDate: z.iso.date({ message: 'a date YYYY-MM-DD' }).optional(),
  postalCode: z.string().min(1).optional(),
});

const EPISODES: NativeTable = {
  file: 'episodes.csv',
  schema: z.object({ patient: patientIdentitySchema, episode: episodeInputSchema }),
  columns: [
    col('patient_id', 'patient.sourceId'),
    col('mrn', 'patient.mrn'),
    col('family_name', 'patient.familyName'),
    col('given_name', 'patient.givenName'),
    col('birth_date', 'patient.birthDate'),
    col('postal_code', 'patient.postalCode'),
    col('format_version', 'episode.formatVersion'),
    col('anchor_kind', 'episode.anchor.kind'),
    col('anchor_time', 'episode.anchor.time'),
    col('admission', 'episode.times.admission'),
    col('cicu_admission', 'episode.times.cicuAdmission'),
    col('shock_onset', 'episode.times.shockOnset'),
    col('pci_start', 'episode.times.pciStart'),
    col('discharge', 'episode.times.discharge'),
    col('age_years', 'episode.demographics.age_years', 'number'),
    col('sex', 'episode.demographics.sex'),
    col('weight', 'episode.demographics.weight', 'qvalue'),
    col('weight_unit', 'episode.demographics.weight', 'qunit'),
    col('height', 'episode.demographics.height', 'qvalue'),
    col('height_unit', 'episode.demographics.height', 'qunit'),
    col('etiology', 'episode.clinical.etiology'),
    col('mixed_shock', 'episode.clinical.mixedShock', 'boolean'),
    col('mixed_component', 'episode.clinical.mixedComponent'),
    col('infarct_location', 'episode.clinical.infarctLocation'),
    col('stemi', 'episode.clinical.stemi', 'boolean'),
    col('clinician_reported_cs', 'episode.clinical.clinicianReportedCS', 'boolean'),
    col('baseline_sbp_mmHg', 'episode.clinical.baselineSbp_mmHg', 'number'),
    col('baseline_creatinine', 'episode.clinical.baselineCreatinine.value', 'number'),
    col('baseline_creatinine_unit', 'episode.clinical.baselineCreatinine.unit'),
    col('baseline_creatinine_time', 'episode.clinical.baselineCreatinine.time'),
    col('baseline_creatinine_source', 'episode.clinical.baselineCreatinine.source'),
    col('chronic_kidney_replacement', 'episode.clinical.chronicKidneyReplacement', 'boolean'),
    col('ldh_uln_U_L', 'episode.clinical.ldhUpperLimitOfNormal_U_L', 'number'),
    col('alt_uln_U_L', 'episode.clinical.altUpperLimitOfNormal_U_L', 'number'),
    col('clinical_note', 'episode.clinical.notes'),
    col('last_known_alive', 'episode.followUp.lastKnownAlive'),
    col('follow_up_source', 'episode.followUp.source'),
    col('follow_up_note', 'episode.followUp.note'),
  ],
};

const OBSERVATIONS: NativeTable = {
  file: 'observations.csv',
  list: 'observations',
  schema: observationInputSchema,
  columns: [
    col('time', 'time'),
    col('code', 'code'),
    col('value', 'value', 'number'),
    col('unit', 'unit'),
    col('censored', 'censored'),
    col('specimen', 'specimen'),
    col('method', 'method'),
    col('period_min', 'periodMin', 'number'),
    col('sample_id', 'sampleId'),
    col('note', 'note'),
  ],
};

const INFUSIONS: NativeTable = {
  file: 'infusions.csv',
  list: 'infusions',
  schema: infusionInputSchema,
  columns: [
    col('drug', 'drug'),
    col('start', 'start'),
    col('end', 'end'),
    col('rate', 'rate', 'number'),
    col('rate_unit', 'rateUnit'),
    col('route', 'route'),
    col('note', 'note'),
  ],
};

const BOLUSES: NativeTable = {
  file: 'boluses.csv',
  list: 'boluses',
  schema: bolusInputSchema,
  columns: [
    col('drug', 'drug'),
    col('time', 'time'),
    col('dose', 'dose', 'number'),
    col('dose_unit', 'doseUnit'),
    col('context', 'context'),
    col('note', 'note'),
  ],
};

const PURGE: NativeTable = {
  file: 'purge.csv',
  list: 'purge',
  schema: purgeInputSchema,
  columns: [
    col('device_id', 'deviceId'),
    col('start', 'start'),
    col('end', 'end'),
    col('solution', 'solution'),
    col('heparin_IU_mL', 'heparin_IU_mL', 'number'),
    col('flow_mL_h', 'flow_mL_h', 'number'),
    col('bicarbonate_meq_L', 'bicarbonate_meq_L', 'number'),
    col('note', 'note'),
  ],
};

const DEVICES: NativeTable = {
  file: 'devices.csv',
  list: 'devices',
  schema: deviceInputSchema,
  columns: [
    col('kind', 'kind'),
    col('device_id', 'id'),
    col('insertion', 'insertion'),
    col('removal', 'removal'),
    col('access_site', 'accessSite'),
    col('side', 'side'),
    col('placement', 'placement'),
    col('selection_reasons', 'selectionReasons', 'list'),
    col('selection_note', 'selectionNote'),
    col('closure', 'closure'),
    col('removal_reason', 'removalReason'),
    col('size_mL', 'size_mL', 'number'),
    col('model', 'model'),
    col('model_other', 'modelOther'),
    col('cannulation', 'cannulation'),
    col('distal_perfusion_cannula', 'distalPerfusionCannula', 'boolean'),
    col('description', 'description'),
    col('settings', 'settings', 'json'),
    col('note', 'note'),
  ],
};

const SUPPORTS: NativeTable = {
  file: 'supports.csv',
  list: 'supports',
  schema: supportInputSchema,
  columns: [col('kind', 'kind'), col('start', 'start'), col('end', 'end'), col('note', 'note')],
};

const EVENTS: NativeTable = {
  file: 'events.csv',
  list: 'events',
  schema: eventInputSchema,
  columns: [
    col('kind', 'kind'),
    col('time', 'time'),
    // cardiac_arrest
    col('setting', 'setting'),
    col('rhythm', 'rhythm'),
    col('rosc', 'rosc', 'boolean'),
    col('duration_min', 'durationMin', 'number'),
    col('ecpr', 'ecpr', 'boolean'),
    col('coma_after_arrest', 'comaAfterArrest', 'boolean'),
    col('gcs_after', 'gcsAfter', 'number'),
    // bleeding: the nested facts (hemoglobin measurements, transfusions, interventions) as one JSON object
    col('facts', 'facts', 'json'),
    // hemolysis, limb_ischemia
    col('related_device_id', 'relatedDeviceId'),
    col('related_device', 'relatedDevice'),
    col('hemoglobinuria', 'hemoglobinuria', 'boolean'),
    col('transfusion_for_hemolysis', 'transfusionForHemolysis', 'boolean'),
    col('aki_attributed', 'akiAttributed', 'boolean'),
    col('actions', 'actions', 'list'),
    col('side', 'side'),
    col('intervention', 'intervention'),
    // stroke
    col('type', 'type'),
    col('imaging_confirmed', 'imagingConfirmed', 'boolean'),
    // transfusion
    col('product', 'product'),
    col('units', 'units', 'number'),
    col('for_bleeding_event', 'forBleedingEvent', 'number'),
    // death
    col('cause', 'cause'),
    col('note', 'note'),
  ],
};

const ANTICOAGULATION: NativeTable = {
  file: 'anticoagulation.csv',
  list: 'anticoagulation',
  schema: anticoagulationInForceInputSchema,
  columns: [col('from', 'from'), col('protocol_id', 'protocolId'), col('target', 'target', 'json'), col('note', 'note')],
};

/** Every native file, episodes.csv first; child files in the order of the episode's lists. */
export const NATIVE_TABLES: readonly NativeTable[] = [EPISODES, OBSERVATIONS, INFUSIONS, BOLUSES, PURGE, DEVICES, SUPPORTS, EVENTS, ANTICOAGULATION];

/** The native file that holds an episode path as parseEpisode reports it ('observations[3].value' -> 'observations.csv'). */
export function nativeFileForPath(path: string): string {
  const m = /^([A-Za-z]+)\[/.exec(path);
  const list = m ? m[1] : undefined;
  return NATIVE_TABLES.find((t) => t.list !== undefined && t.list === list)?.file ?? EPISODES.file;
}

// ---------------------------------------------------------------- schema lookup

/** Field schemas of one column, resolved once: per kind for union tables ('' for plain tables). */
export interface ResolvedColumn extends NativeColumn {
  /** kind -> the field's schema in that variant; a kind missing here does not have the field. */
  readonly byKind: ReadonlyMap<string, FieldRule>;
}

export interface FieldRule {
  readonly schema: z.ZodType;
  /** The row must have this cell (the field and every object above it are required). */
  readonly required: boolean;
  /** The field is an ISO time (checked against the import's `now`). */
  readonly time: boolean;
}

/** The `kind` values of a union table, or [''] for a plain table. */
export function tableKinds(table: NativeTable): string[] {
  if (table.schema instanceof z.ZodDiscriminatedUnion) return variants(table.schema).map(([k]) => k);
  return [''];
}

export function resolveColumns(table: NativeTable): ResolvedColumn[] {
  const roots: [string, z.ZodType][] = table.schema instanceof z.ZodDiscriminatedUnion ? variants(table.schema) : [['', table.schema]];
  return table.columns.map((c) => {
    const byKind = new Map<string, FieldRule>();
    for (const [kind, root] of roots) {
      const rule = fieldRule(root, c.path);
      if (rule) byKind.set(kind, rule);
    }
    if (byKind.size === 0) throw new Error(`native layout: column ${c.name} (${c.path.join('.')}) is not in the schema of ${table.file}`);
    return { ...c, byKind };
  });
}

function variants(u: z.ZodDiscriminatedUnion): [string, z.ZodType][] {
  return (u.options as readonly z.ZodType[]).map((o) => {
    const kind = o instanceof z.ZodObject ? (o.shape as Record<string, z.ZodType>).kind : undefined;
    if (!(kind instanceof z.ZodLiteral)) throw new Error('native layout: union variant without a literal kind');
    return [String(kind.value), o];
  });
}

function fieldRule(root: z.ZodType, path: readonly string[]): FieldRule | undefined {
  let node: z.ZodType = root;
  let required = true;
  for (const key of path) {
    const obj = unwrap(node);
    if (!(obj instanceof z.ZodObject)) return undefined;
    const next = (obj.shape as Record<string, z.ZodType | undefined>)[key];
    if (!next) return undefined;
    if (next.safeParse(undefined).success) required = false;
    node = next;
  }
  return { schema: node, required, time: unwrap(node) === isoTimeSchema };
}

function unwrap(s: z.ZodType): z.ZodType {
  let node = s;
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
  return node;
}
