// Registry records -> a REDCap flat CSV export ("raw" codes) of the project described by the dictionary and
// mapping: the inverse of redcap-import.ts, used to round-trip test the import and to move records into a REDCap
// project. Canonical fields the mapping does not carry are left out (docs/redcap.md lists them for the shipped one).
import { stringify } from 'csv-stringify/sync';
import { HEIGHT_UNITS, WEIGHT_UNITS } from '../../clinical/episode/episode-schema.js';
import { HB_UNIT_TO_G_DL } from '../../clinical/bleeding/bleeding-facts.js';
import { INFUSION_DRUG_DEFS, type InfusionDrug } from '../../clinical/episode/infusion-drugs.js';
import { OBSERVATION_CODES, isObservationCode } from '../../clinical/episode/observation-codes.js';
import { findUnit, fromCanonical, tidy, toCanonical } from '../../clinical/episode/units.js';
import type { RegistryRecord } from '../record.js';
import { checkboxColumn, type RedcapDictionary, type RedcapField } from './redcap-dictionary.js';
import { checkRedcapMapping, fieldTarget, ITEM_TARGETS, type FieldTarget, type RedcapItemGroup, type RedcapMapping } from './redcap-mapping.js';
import { getPath, isObject, setPath, type JsonObject } from './object-path.js';
import { choiceCode, toRawValue } from './redcap-values.js';

interface ExportRow {
  readonly event: string;
  readonly instrument: string;
  readonly instance: number;
  readonly cells: Map<string, string>;
  readonly forms: Set<string>;
}

/** Writes records as a REDCap flat export; throws an Error naming the record and value a field cannot hold. */
export function recordsToRedcapExport(records: readonly RegistryRecord[], dictionary: RedcapDictionary, mapping: RedcapMapping): string {
  checkRedcapMapping(mapping, dictionary);
  const header = exportHeader(dictionary, mapping);
  const lines: string[][] = [header];
  for (const record of records) {
    for (const row of recordRows(record, dictionary, mapping)) {
      for (const form of row.forms) row.cells.set(`${form}_complete`, '2');
      lines.push(header.map((column, i) => {
        if (i === 0) return record.episode.id;
        if (column === 'redcap_event_name') return row.event;
        if (column === 'redcap_repeat_instrument') return row.instrument;
        if (column === 'redcap_repeat_instance') return row.instance > 0 ? String(row.instance) : '';
        return row.cells.get(column) ?? '';
      }));
    }
  }
  return stringify(lines, { record_delimiter: 'unix' });
}

/** REDCap's column order: record id, event, repeat columns, then fields (checkboxes expanded), each form's status last. */
function exportHeader(dictionary: RedcapDictionary, mapping: RedcapMapping): string[] {
  const header = [dictionary.recordIdField];
  if (mapping.events) header.push('redcap_event_name');
  header.push('redcap_repeat_instrument', 'redcap_repeat_instance');
  for (const form of dictionary.forms) {
    for (const field of dictionary.fields) {
      if (field.form !== form || field.name === dictionary.recordIdField || field.type === 'descriptive') continue;
      if (field.type === 'checkbox') header.push(...field.choices.map((c) => checkboxColumn(field.name, c.code)));
      else header.push(field.name);
    }
    header.push(`${form}_complete`);
  }
  return header;
}

function recordRows(record: RegistryRecord, dictionary: RedcapDictionary, mapping: RedcapMapping): ExportRow[] {
  const id = record.episode.id;
  const episode = normalizeForExport(structuredClone(record.episode) as unknown as JsonObject);
  const root: JsonObject = { patient: { ...record.patient }, episode };
  const baseEvent = mapping.events?.baseline[0] ?? '';
  const followUpEvent = mapping.events ? (mapping.events.followUp.at(-1) ?? baseEvent) : '';
  const followUpForms = new Set(mapping.groups.filter((g) => g.target === 'followUp').map((g) => g.form));
  const repeating = (form: string): boolean => mapping.repeatingInstruments.includes(form);
  const eventOf = (form: string): string => (followUpForms.has(form) ? followUpEvent : baseEvent);

  const baseRows = new Map<string, ExportRow>();
  const repeatRows: ExportRow[] = [];
  const baseRow = (form: string): ExportRow => {
    const event = eventOf(form);
    let row = baseRows.get(event);
    if (!row) {
      row = { event, instrument: '', instance: 0, cells: new Map(), forms: new Set() };
      baseRows.set(event, row);
    }
    return row;
  };
  const newInstance = (form: string): ExportRow => {
    const event = eventOf(form);
    const instance = repeatRows.filter((r) => r.instrument === form && r.event === event).length + 1;
    const row: ExportRow = { event, instrument: form, instance, cells: new Map(), forms: new Set() };
    repeatRows.push(row);
    return row;
  };
  const field = (name: string): RedcapField => {
    const f = dictionary.byName.get(name);
    if (!f) throw new Error(`mapping names unknown field ${name}`);
    return f;
  };
  const write = (row: ExportRow, name: string, target: FieldTarget, value: unknown, where: string): void => {
    const f = field(name);
    row.forms.add(f.form);
    if (f.type === 'checkbox') {
      const list = Array.isArray(value) ? value : [value];
      const codes = list.map((v) => {
        const code = choiceCode(f, target, v);
        if (code === undefined) throw new Error(`record ${id}: ${where} = ${JSON.stringify(v)} has no choice in REDCap field ${name}`);
        return code;
      });
      for (const c of f.choices) row.cells.set(checkboxColumn(name, c.code), codes.includes(c.code) ? '1' : '0');
      return;
    }
    const raw = toRawValue(f, target, value, mapping.timezoneOffset);
    if ('problem' in raw) throw new Error(`record ${id}: ${where}: ${raw.problem} (REDCap field ${name})`);
    row.cells.set(name, raw.raw);
  };

  // root fields
  for (const group of mapping.groups) {
    if (group.target !== 'root') continue;
    for (const [name, spec] of Object.entries(group.fields)) {
      const target = fieldTarget(spec);
      const value = getPath(root, target.path);
      if (value !== undefined) write(baseRow(group.form), name, target, value, target.path);
    }
  }

  // items: each goes to the first group of its collection that can hold it
  const placedEvents = new Map<number, { instrument: string; instance: number }>();
  const pendingRefs: { row: ExportRow; name: string; target: FieldTarget; index: number; where: string }[] = [];
  const filled = new Set<RedcapItemGroup>();
  for (const collection of ITEM_TARGETS) {
    const groups = mapping.groups.filter((g): g is RedcapItemGroup => g.target === collection);
    if (groups.length === 0) continue;
    const raw = collection === 'followUp' ? (isObject(episode['followUp']) && Object.keys(episode['followUp']).length > 0 ? [episode['followUp']] : []) : episode[collection];
    const items = Array.isArray(raw) ? raw.filter(isObject) : [];
    items.forEach((item, index) => {
      const where = collection === 'followUp' ? 'followUp' : `${collection}[${index}]`;
      const group = groups.find((g) => !(filled.has(g)) && canHold(g, item, dictionary));
      if (!group) throw new Error(`record ${id}: ${where} (${JSON.stringify(item).slice(0, 120)}) fits no instrument of the REDCap mapping`);
      const isRepeating = repeating(group.form);
      if (!isRepeating) filled.add(group);
      const row = isRepeating ? newInstance(group.form) : baseRow(group.form);
      if (collection === 'events') placedEvents.set(index, { instrument: group.form, instance: row.instance });
      if (group.presentIf) {
        row.cells.set(group.presentIf.field, group.presentIf.equals);
        row.forms.add(group.form);
      }
      for (const [name, spec] of Object.entries(group.fields)) {
        const target = fieldTarget(spec);
        const value = getPath(item, target.path);
        if (value === undefined) continue;
        if (target.ref !== undefined) pendingRefs.push({ row, name, target, index: Number(value), where: `${where}.${target.path}` });
        else write(row, name, { path: target.path, ...(target.values ? { values: target.values } : {}) }, value, `${where}.${target.path}`);
      }
    });
  }
  for (const ref of pendingRefs) {
    const placed = placedEvents.get(ref.index);
    if (!placed || placed.instrument !== ref.target.ref) throw new Error(`record ${id}: ${ref.where} = ${ref.index} does not refer to a '${ref.target.ref}' instance`);
    write(ref.row, ref.name, { path: ref.target.path }, placed.instance, ref.where);
  }

  // observations: one instance per time point (a code measured twice at one time takes a second instance)
  const observations = Array.isArray(episode['observations']) ? episode['observations'].filter(isObject) : [];
  for (const group of mapping.groups) {
    if (group.target !== 'observations') continue;
    const fieldOfCode = new Map<string, string>();
    for (const [name, spec] of Object.entries(group.values)) if (!fieldOfCode.has(spec.code)) fieldOfCode.set(spec.code, name);
    const rows: { t: number; row: ExportRow }[] = [];
    observations
      .map((o, order) => ({ o, order, t: Date.parse(String(o['time'])) }))
      .filter(({ o }) => typeof o['code'] === 'string' && fieldOfCode.has(o['code']))
      .sort((a, b) => a.t - b.t || a.order - b.order)
      .forEach(({ o, t, order }) => {
        const name = fieldOfCode.get(String(o['code'])) ?? '';
        const spec = group.values[name];
        let slot = rows.find((r) => r.t === t && !r.row.cells.has(name));
        if (!slot) {
          slot = { t, row: newInstance(group.form) };
          rows.push(slot);
          write(slot.row, group.time, { path: 'time' }, o['time'], `observations[${order}].time`);
        }
        const code = spec.code;
        const unit = typeof o['unit'] === 'string' ? o['unit'] : OBSERVATION_CODES[code].unit;
        if (!isObservationCode(code) || !findUnit(code, unit) || typeof o['value'] !== 'number') {
          throw new Error(`record ${id}: observations[${order}] has unit ${unit}, not convertible for ${code}`);
        }
        write(slot.row, name, { path: 'value' }, fromCanonical(code, toCanonical(code, o['value'], unit), spec.unit), `observations[${order}].value`);
        if (spec.periodField !== undefined && typeof o['periodMin'] === 'number') write(slot.row, spec.periodField, { path: 'periodMin' }, o['periodMin'], `observations[${order}].periodMin`);
      });
  }

  const eventOrder = mapping.events ? [...mapping.events.baseline, ...mapping.events.followUp] : [''];
  const formOrder = dictionary.forms;
  return [
    ...[...baseRows.values()].sort((a, b) => eventOrder.indexOf(a.event) - eventOrder.indexOf(b.event)),
    ...repeatRows.sort((a, b) => eventOrder.indexOf(a.event) - eventOrder.indexOf(b.event) || formOrder.indexOf(a.instrument) - formOrder.indexOf(b.instrument) || a.instance - b.instance),
  ];
}

/** Whether a group can hold an item: its fixed properties match and every mapped choice value has a code. */
function canHold(group: RedcapItemGroup, item: JsonObject, dictionary: RedcapDictionary): boolean {
  for (const [key, value] of Object.entries(group.fixed)) if (getPath(item, key) !== value) return false;
  for (const [name, spec] of Object.entries(group.fields)) {
    const target = fieldTarget(spec);
    const field = dictionary.byName.get(name);
    const value = getPath(item, target.path);
    if (!field || value === undefined || field.choices.length === 0 || field.type === 'yesno' || field.type === 'truefalse') continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => choiceCode(field, target, v) === undefined)) return false;
  }
  return true;
}

/** Spellings a rate unit is exported in (the infusion rate-unit dropdown's), in order of preference. */
const EXPORT_RATE_UNITS = ['ug/kg/min', 'ug/min', 'mg/h', 'ng/kg/min', '[IU]/kg/h', '[IU]/h', 'U/min', 'U/h', 'mg/kg/h'];

/**
 * Quantities the dictionary fixes to one unit are converted to it (weight kg, height cm, baseline creatinine
 * mg/dL, bleeding hemoglobin g/dL); infusion rate units are respelled to an equivalent dropdown spelling.
 */
function normalizeForExport(episode: JsonObject): JsonObject {
  const quantity = (path: string, units: Readonly<Record<string, number>>): void => {
    const q = getPath(episode, path);
    if (isObject(q) && typeof q['value'] === 'number' && typeof q['unit'] === 'string' && q['unit'] in units) setPath(episode, path, tidy(q['value'] * units[q['unit']]));
  };
  quantity('demographics.weight', WEIGHT_UNITS);
  quantity('demographics.height', HEIGHT_UNITS);
  const creatinine = getPath(episode, 'clinical.baselineCreatinine');
  if (isObject(creatinine) && typeof creatinine['value'] === 'number' && typeof creatinine['unit'] === 'string' && findUnit('creatinine_mg_dL', creatinine['unit'])) {
    creatinine['value'] = toCanonical('creatinine_mg_dL', creatinine['value'], creatinine['unit']);
    creatinine['unit'] = 'mg/dL';
  }
  for (const event of Array.isArray(episode['events']) ? episode['events'].filter(isObject) : []) {
    for (const key of ['hbBaseline', 'hbNadir']) {
      const hb = getPath(event, `facts.${key}`);
      if (isObject(hb) && typeof hb['value'] === 'number' && typeof hb['unit'] === 'string' && hb['unit'] in HB_UNIT_TO_G_DL) {
        hb['value'] = tidy(hb['value'] * HB_UNIT_TO_G_DL[hb['unit'] as keyof typeof HB_UNIT_TO_G_DL]);
        hb['unit'] = 'g/dL';
      }
    }
  }
  for (const infusion of Array.isArray(episode['infusions']) ? episode['infusions'].filter(isObject) : []) {
    const drug = infusion['drug'];
    const unit = infusion['rateUnit'];
    if (typeof drug !== 'string' || typeof unit !== 'string' || !(drug in INFUSION_DRUG_DEFS)) continue;
    const accepted = INFUSION_DRUG_DEFS[drug as InfusionDrug].inputUnits;
    const given = accepted.find((u) => u.unit === unit);
    // Same conversion and same per-kg-ness (heparin keeps weight-based and absolute rates apart with factor 1 both).
    const perKg = (u: string): boolean => u.includes('/kg');
    const same = given && EXPORT_RATE_UNITS.find((s) => accepted.some((u) => u.unit === s && u.factor === given.factor && !!u.divideByWeight === !!given.divideByWeight && perKg(u.unit) === perKg(given.unit)));
    if (same) infusion['rateUnit'] = same;
  }
  return episode;
}
