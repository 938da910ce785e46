// REDCap flat CSV export ("raw" codes, the standard record export) -> registry records. Classic and longitudinal
// projects (redcap_event_name), repeating instruments (redcap_repeat_instrument / redcap_repeat_instance) and
// checkbox columns (field___code) are read against the project's data dictionary and mapped by the site's mapping
// (redcap-mapping.ts). One record per REDCap record id; episode id = record id. Pure: text in, records out.
import { episodeInputSchema, type EpisodeInput } from '../../clinical/episode/episode-schema.js';
import { INFUSION_DRUG_DEFS, type InfusionDrug } from '../../clinical/episode/infusion-drugs.js';
import { ImportFileError, rejectionValue, type ConversionResult, type PatientIdentity, type RegistryRecord, type Rejection } from '../record.js';
import { readCsv, type CsvRow } from './redcap-csv.js';
import { checkboxColumn, type RedcapDictionary, type RedcapField } from './redcap-dictionary.js';
import { checkRedcapMapping, fieldTarget, ITEM_TARGETS, type ItemTarget, type RedcapGroup, type RedcapMapping } from './redcap-mapping.js';
import { getPath, isObject, setPath, type JsonObject } from './object-path.js';
import { checkboxToCanonical, instantOf, rawProblem, toCanonicalValue, type Canonical } from './redcap-values.js';

export interface RedcapImportOptions {
  /** The export's file name as given on the command line (for rejections and errors). */
  readonly file: string;
  /** Site code of every record; else the mapping's site; else the record's redcap_data_access_group. */
  readonly site?: string;
  /** The import time: no date may be later. */
  readonly now: Date;
  /** The mapping's file name, for errors about the mapping. */
  readonly mappingFile?: string;
}

/** REDCap's own columns in a record export. */
export const REDCAP_SYSTEM_COLUMNS = ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance', 'redcap_data_access_group', 'redcap_survey_identifier'] as const;

type Column =
  | { readonly kind: 'recordId' }
  | { readonly kind: 'system' }
  | { readonly kind: 'complete'; readonly form: string }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'field'; readonly field: RedcapField }
  | { readonly kind: 'checkbox'; readonly field: RedcapField; readonly code: string };

/** Where a value of the record came from. */
interface Origin {
  readonly line: number;
  readonly field: string;
}

interface PendingRef {
  readonly path: string;
  readonly instrument: string;
  readonly instance: number;
  readonly event: string;
  readonly origin: Origin;
  readonly raw: string;
}

interface BuiltItem {
  readonly target: ItemTarget;
  readonly item: JsonObject;
  readonly line: number;
  /** Item path -> REDCap field it came from. */
  readonly fields: Map<string, string>;
  readonly refs: PendingRef[];
  /** `event|instrument|instance` of a repeating instance, for references to it. */
  readonly key?: string;
}

interface RecordState {
  readonly id: string;
  readonly firstLine: number;
  readonly rejections: Rejection[];
  readonly patient: JsonObject;
  readonly episode: JsonObject;
  /** Root path ('episode.demographics.sex') -> origin. */
  readonly rootOrigins: Map<string, Origin>;
  readonly items: BuiltItem[];
  readonly observations: { readonly observation: JsonObject; readonly origin: Origin }[];
  site?: string;
}

/** Converts a REDCap flat export into registry records, with a rejection for every value that breaks the rules. */
export function redcapExportToRecords(exportText: string, dictionary: RedcapDictionary, mapping: RedcapMapping, options: RedcapImportOptions): ConversionResult {
  const { file } = options;
  checkRedcapMapping(mapping, dictionary, options.mappingFile);
  const table = readCsv(exportText, file);
  const columns = classifyColumns(table.header, dictionary, file);
  const col = (name: string): number => table.header.indexOf(name);
  const eventCol = col('redcap_event_name');
  if (mapping.events && eventCol < 0) throw new ImportFileError(file, 'redcap_event_name', '(missing)', 'a redcap_event_name column: the mapping describes a longitudinal project');
  if (!mapping.events && eventCol >= 0) throw new ImportFileError(file, 'redcap_event_name', '(present)', "a classic export, or 'events' in the mapping for a longitudinal project");
  const dagCol = col('redcap_data_access_group');
  if (options.site === undefined && mapping.site === undefined && dagCol < 0) {
    throw new ImportFileError(file, 'site', '(none)', 'a --site option, a site in the mapping, or a redcap_data_access_group column');
  }
  const knownEvents = mapping.events ? [...mapping.events.baseline, ...mapping.events.followUp] : [];
  const rejections: Rejection[] = [];
  const states = new Map<string, RecordState>();

  for (const row of table.rows) {
    const cell = (index: number): string => (index >= 0 ? row.cells[index] : '');
    const reject = (list: Rejection[], field: string, value: string, reason: string): void => {
      list.push({ file, row: row.line, field, value: rejectionValue(value), reason });
    };
    const id = cell(0).trim();
    if (id === '') {
      reject(rejections, dictionary.recordIdField, '', 'a record id on every row');
      continue;
    }
    let state = states.get(id);
    if (!state) {
      state = { id, firstLine: row.line, rejections: [], patient: {}, episode: {}, rootOrigins: new Map(), items: [], observations: [] };
      states.set(id, state);
    }
    const rs = state;
    const rejectHere = (field: string, value: string, reason: string): void => reject(rs.rejections, field, value, reason);
    const event = cell(eventCol);
    if (mapping.events && !knownEvents.includes(event)) {
      rejectHere('redcap_event_name', event, `an event named in the mapping (${knownEvents.join(', ')})`);
      continue;
    }
    const instrument = cell(col('redcap_repeat_instrument'));
    const instanceText = cell(col('redcap_repeat_instance'));
    if (instrument !== '' && !mapping.repeatingInstruments.includes(instrument)) {
      rejectHere('redcap_repeat_instrument', instrument, `a repeating instrument of the mapping (${mapping.repeatingInstruments.join(', ')})`);
      continue;
    }
    if (instrument === '' && instanceText !== '') {
      rejectHere('redcap_repeat_instance', instanceText, 'no instance on a row without a repeating instrument (repeating events are not supported)');
      continue;
    }
    if (instrument !== '' && !/^[1-9]\d*$/.test(instanceText)) {
      rejectHere('redcap_repeat_instance', instanceText, 'a positive whole instance number');
      continue;
    }
    const dag = cell(dagCol).trim();
    if (dag !== '' && rs.site === undefined) rs.site = dag;
    const values = readRowValues(row, columns, instrument, mapping, rejectHere);
    if (values === undefined) continue;
    const groups = mapping.groups.filter((g) => (instrument !== '' ? g.form === instrument : !mapping.repeatingInstruments.includes(g.form)));
    const context = { line: row.line, event, instrument, instance: instrument !== '' ? Number(instanceText) : 0 };
    for (const group of groups) buildGroup(group, values, context, rs, dictionary, mapping, options, rejectHere);
  }

  const records: RegistryRecord[] = [];
  for (const state of states.values()) {
    const record = finishRecord(state, dictionary, mapping, options);
    rejections.push(...state.rejections);
    if (state.rejections.length > 0) {
      rejections.push({
        file, row: state.firstLine, field: dictionary.recordIdField, value: rejectionValue(state.id),
        reason: `record not imported: ${state.rejections.length} problem(s) listed above; fix them and import the file again`,
      });
    } else if (record) records.push(record);
  }
  return { records, rejections, rowsRead: table.rows.length };
}

/** Classifies every export column; a column the dictionary does not explain is an ImportFileError naming it. */
function classifyColumns(header: readonly string[], dictionary: RedcapDictionary, file: string): Column[] {
  const checkboxes = new Map<string, { field: RedcapField; code: string }>();
  for (const field of dictionary.fields) {
    if (field.type === 'checkbox') for (const c of field.choices) checkboxes.set(checkboxColumn(field.name, c.code), { field, code: c.code });
  }
  if (header[0] !== dictionary.recordIdField) {
    throw new ImportFileError(file, 'column 1', header[0] ?? '(missing)', `the record id field '${dictionary.recordIdField}' (first field of the dictionary)`);
  }
  const seen = new Set<string>();
  return header.map((name, index): Column => {
    if (seen.has(name)) throw new ImportFileError(file, `column ${index + 1}`, name, 'column names that appear once');
    seen.add(name);
    if (index === 0) return { kind: 'recordId' };
    if ((REDCAP_SYSTEM_COLUMNS as readonly string[]).includes(name)) return { kind: 'system' };
    const form = dictionary.forms.find((f) => name === `${f}_complete`);
    if (form !== undefined) return { kind: 'complete', form };
    if (dictionary.forms.some((f) => name === `${f}_timestamp`)) return { kind: 'timestamp' };
    const field = dictionary.byName.get(name);
    if (field && field.type !== 'checkbox' && field.type !== 'descriptive') return { kind: 'field', field };
    const box = checkboxes.get(name);
    if (box) return { kind: 'checkbox', ...box };
    throw new ImportFileError(
      file, `column ${index + 1}`, name,
      `a field of the data dictionary ${dictionary.file}, a checkbox column field___code, an <instrument>_complete column, or a REDCap system column (${REDCAP_SYSTEM_COLUMNS.join(', ')})`,
    );
  });
}

/** The row's non-empty values by field (checkboxes: the codes ticked), each checked against its dictionary field. */
function readRowValues(
  row: CsvRow, columns: readonly Column[], instrument: string, mapping: RedcapMapping,
  reject: (field: string, value: string, reason: string) => void,
): Map<string, string | string[]> | undefined {
  const values = new Map<string, string | string[]>();
  const before = { count: 0 };
  const fail = (field: string, value: string, reason: string): void => {
    before.count += 1;
    reject(field, value, reason);
  };
  const belongsHere = (field: RedcapField, column: string, value: string): boolean => {
    const ok = instrument !== '' ? field.form === instrument : !mapping.repeatingInstruments.includes(field.form);
    if (!ok) {
      fail(column, value, instrument !== ''
        ? `a value of instrument '${instrument}' on this repeating row (${field.name} belongs to '${field.form}')`
        : `no value of repeating instrument '${field.form}' on a row without redcap_repeat_instrument`);
    }
    return ok;
  };
  columns.forEach((column, index) => {
    const text = row.cells[index];
    if (column.kind === 'complete') {
      if (!['', '0', '1', '2'].includes(text)) fail(`${column.form}_complete`, text, 'a form status 0 (incomplete), 1 (unverified) or 2 (complete)');
      return;
    }
    if (column.kind === 'field') {
      if (text === '' || !belongsHere(column.field, column.field.name, text)) return;
      const raw = column.field.valueKind === 'string' ? text : text.trim();
      const problem = rawProblem(column.field, raw);
      if (problem !== undefined) fail(column.field.name, text, problem);
      else values.set(column.field.name, raw);
      return;
    }
    if (column.kind === 'checkbox') {
      const name = checkboxColumn(column.field.name, column.code);
      if (text === '' || text === '0') return;
      if (text !== '1') {
        fail(name, text, 'a checkbox value 1 (ticked) or 0 (not ticked)');
        return;
      }
      if (!belongsHere(column.field, name, text)) return;
      const list = values.get(column.field.name);
      values.set(column.field.name, Array.isArray(list) ? [...list, column.code] : [column.code]);
    }
  });
  return before.count > 0 ? undefined : values;
}

interface RowContext {
  readonly line: number;
  readonly event: string;
  readonly instrument: string;
  readonly instance: number;
}

/** Adds what one group reads from one row to the record being built. */
function buildGroup(
  group: RedcapGroup, values: Map<string, string | string[]>, context: RowContext, state: RecordState,
  dictionary: RedcapDictionary, mapping: RedcapMapping, options: RedcapImportOptions,
  reject: (field: string, value: string, reason: string) => void,
): void {
  const offset = mapping.timezoneOffset;
  /** The canonical value of a field on this row, or undefined when empty or in the future (rejected). */
  const valueOf = (name: string, target = fieldTarget(name)): Canonical | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    const field = dictionary.byName.get(name);
    if (!field) return undefined;
    if (Array.isArray(raw)) return checkboxToCanonical(raw, target);
    const value = toCanonicalValue(field, target, raw as string, offset);
    const instant = typeof value === 'string' ? instantOf(field, value, offset) : undefined;
    if (instant !== undefined && instant > options.now.getTime()) {
      reject(name, raw as string, `a time not after the import time ${options.now.toISOString()}`);
      return undefined;
    }
    return value;
  };

  if (group.target === 'observations') {
    const present = Object.keys(group.values).filter((name) => values.has(name));
    if (present.length === 0) return;
    const time = valueOf(group.time);
    if (time === undefined) {
      if (!values.has(group.time)) reject(group.time, '(missing)', `the measurement time of ${present.join(', ')} on this row`);
      return;
    }
    for (const name of present) {
      const spec = group.values[name];
      const value = valueOf(name);
      if (value === undefined) continue;
      const observation: JsonObject = { time, code: spec.code, value, unit: spec.unit };
      const period = spec.periodField !== undefined ? valueOf(spec.periodField) : undefined;
      if (period !== undefined) observation['periodMin'] = period;
      state.observations.push({ observation, origin: { line: context.line, field: name } });
    }
    return;
  }

  if (group.target === 'root') {
    for (const [name, spec] of Object.entries(group.fields)) {
      const target = fieldTarget(spec);
      const value = valueOf(name, target);
      if (value === undefined) continue;
      const [section, ...rest] = target.path.split('.');
      const holder = section === 'patient' ? state.patient : state.episode;
      const path = rest.join('.');
      const earlier = state.rootOrigins.get(target.path);
      if (earlier !== undefined) {
        const before = getPath(holder, path);
        if (JSON.stringify(before) !== JSON.stringify(value)) {
          reject(name, String(values.get(name)), `one value per record: line ${earlier.line} already gave ${earlier.field} = ${JSON.stringify(before)}`);
        }
        continue;
      }
      setPath(holder, path, value);
      state.rootOrigins.set(target.path, { line: context.line, field: name });
    }
    return;
  }

  if (group.presentIf ? values.get(group.presentIf.field) !== group.presentIf.equals : !Object.keys(group.fields).some((n) => values.has(n))) return;
  const item: JsonObject = structuredClone(group.fixed);
  const built: BuiltItem = {
    target: group.target, item, line: context.line, fields: new Map(), refs: [],
    ...(context.instrument !== '' ? { key: `${context.event}|${context.instrument}|${context.instance}` } : {}),
  };
  for (const [name, spec] of Object.entries(group.fields)) {
    const target = fieldTarget(spec);
    const origin = { line: context.line, field: name };
    if (target.ref !== undefined) {
      const raw = values.get(name);
      if (typeof raw === 'string') built.refs.push({ path: target.path, instrument: target.ref, instance: Number(raw), event: context.event, origin, raw });
      continue;
    }
    const value = valueOf(name, target);
    if (value === undefined) continue;
    setPath(item, target.path, value);
    built.fields.set(target.path, name);
  }
  if (group.target === 'infusions') checkInfusionUnit(built, reject);
  state.items.push(built);
}

/** A rate unit the drug does not accept cannot be converted into its canonical unit: rejected here, with the row. */
function checkInfusionUnit(built: BuiltItem, reject: (field: string, value: string, reason: string) => void): void {
  const drug = built.item['drug'];
  const unit = built.item['rateUnit'];
  if (typeof drug !== 'string' || typeof unit !== 'string' || !Object.prototype.hasOwnProperty.call(INFUSION_DRUG_DEFS, drug)) return;
  const accepted = INFUSION_DRUG_DEFS[drug as InfusionDrug].inputUnits.map((u) => u.unit);
  if (!accepted.includes(unit)) {
    reject(built.fields.get('rateUnit') ?? 'rateUnit', unit, `a rate unit convertible for ${drug}: one of ${accepted.join(', ')}`);
  }
}

/** Assembles, orders and validates one record; its problems go to state.rejections. */
function finishRecord(state: RecordState, dictionary: RedcapDictionary, mapping: RedcapMapping, options: RedcapImportOptions): RegistryRecord | undefined {
  const reject = (origin: Origin, value: string, reason: string): void => {
    state.rejections.push({ file: options.file, row: origin.line, field: origin.field, value: rejectionValue(value), reason });
  };
  const site = options.site ?? mapping.site ?? state.site;
  if (site === undefined) {
    reject({ line: state.firstLine, field: 'redcap_data_access_group' }, '', 'a data access group (or a --site option) for this record');
    return undefined;
  }
  const byTarget = (target: ItemTarget): BuiltItem[] => state.items.filter((i) => i.target === target);
  // Events in time order (stable, so same-time events keep the export's order); deaths recorded twice at the same
  // time (in hospital and at follow-up) are one death.
  const events = byTarget('events')
    .map((built, order) => ({ built, order, t: Date.parse(String(built.item['time'])) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.order - b.order : a.t - b.t || a.order - b.order))
    .map((e) => e.built)
    .filter((e, i, all) => e.item['kind'] !== 'death' || !all.slice(0, i).some((d) => d.item['kind'] === 'death' && d.item['time'] === e.item['time']));
  for (const built of events) {
    for (const ref of built.refs) {
      const index = events.findIndex((e) => e.key === `${ref.event}|${ref.instrument}|${ref.instance}`);
      if (index < 0) reject(ref.origin, ref.raw, `the instance number of a '${ref.instrument}' instance of this record (instance ${ref.instance} not found)`);
      else setPath(built.item, ref.path, index);
    }
  }
  // Follow-up: the latest contact (30 days, 1 year) is the episode's follow-up.
  const followUps = byTarget('followUp');
  const latest = followUps.reduce<BuiltItem | undefined>((best, f) => {
    const t = Date.parse(String(f.item['lastKnownAlive']));
    return best === undefined || (!Number.isNaN(t) && !(Date.parse(String(best.item['lastKnownAlive'])) >= t)) ? f : best;
  }, undefined);

  const collections: Record<string, BuiltItem[]> = {};
  for (const target of ITEM_TARGETS) if (target !== 'events' && target !== 'followUp') collections[target] = byTarget(target);
  collections['events'] = events;

  const episode: JsonObject = { formatVersion: '1', ...state.episode, id: state.id, site };
  const sourceRows: Record<string, number> = { '': state.firstLine };
  const origins = new Map<string, Origin>();
  for (const [path, origin] of state.rootOrigins) {
    if (!path.startsWith('episode.')) continue;
    const inner = path.slice('episode.'.length);
    origins.set(inner, origin);
    const section = inner.split('.')[0];
    sourceRows[section] ??= origin.line;
  }
  // A root field left empty is reported against its REDCap field, on the record's first line.
  for (const group of mapping.groups) {
    if (group.target !== 'root') continue;
    for (const [name, spec] of Object.entries(group.fields)) {
      const path = fieldTarget(spec).path;
      if (path.startsWith('episode.') && !origins.has(path.slice('episode.'.length))) origins.set(path.slice('episode.'.length), { line: state.firstLine, field: name });
    }
  }
  for (const [target, list] of Object.entries(collections)) {
    if (list.length === 0) continue;
    episode[target] = list.map((b) => b.item);
    list.forEach((b, i) => {
      sourceRows[`${target}[${i}]`] = b.line;
      origins.set(`${target}[${i}]`, { line: b.line, field: `${target}[${i}]` });
      for (const [path, field] of b.fields) origins.set(`${target}[${i}].${path}`, { line: b.line, field });
      for (const ref of b.refs) origins.set(`${target}[${i}].${ref.path}`, ref.origin);
    });
  }
  if (state.observations.length > 0) {
    episode['observations'] = state.observations.map((o) => o.observation);
    state.observations.forEach((o, i) => {
      sourceRows[`observations[${i}]`] = o.origin.line;
      origins.set(`observations[${i}]`, o.origin);
    });
  }
  if (latest) {
    episode['followUp'] = latest.item;
    sourceRows['followUp'] = latest.line;
    for (const [path, field] of latest.fields) origins.set(`followUp.${path}`, { line: latest.line, field });
  }
  if (state.rejections.length > 0) return undefined;

  // Structure (required fields, enumerations) is checked by the episode schema; each issue is reported against the
  // REDCap field and line it came from. Units, plausibility and cross-field rules are parseEpisode's, downstream.
  const parsed = episodeInputSchema.safeParse(episode);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
      const origin = nearestOrigin(origins, path) ?? { line: state.firstLine, field: path || dictionary.recordIdField };
      const where = origin.field === path ? '' : ` (episode path ${path})`;
      const value = getPathIndexed(episode, issue.path);
      reject(origin, value === undefined ? '(missing)' : typeof value === 'string' ? value : JSON.stringify(value), `${issue.message}${where}`);
    }
    return undefined;
  }
  const patient: PatientIdentity = { sourceId: state.id, ...(state.patient as Omit<PatientIdentity, 'sourceId'>) };
  // The object has just passed episodeInputSchema, so it is an EpisodeInput (kept as built: no defaults added).
  return { site, patient, episode: episode as EpisodeInput, sourceRows };
}

/** The origin of the path or of its nearest ancestor. */
function nearestOrigin(origins: Map<string, Origin>, path: string): Origin | undefined {
  let p = path;
  while (p !== '') {
    const o = origins.get(p);
    if (o) return o;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return undefined;
}

function getPathIndexed(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}
