// Wide-format CSV (one row per patient episode) -> records, through a mapping of each column to an episode field or
// to an observation taken at a time column or at a fixed offset in hours from the anchor ('lactate_0h').
import { addMinutesIso } from '../../clinical/episode/iso-time.js';
import { rejectionValue, type ConversionResult, type RegistryRecord, type Rejection } from '../record.js';
import { futureReason } from './cells.js';
import { columnIndexer, readCsvTable } from './csv-table.js';
import { fieldDef, type FieldTarget, type WideCsvMapping, type WideObservationTarget } from './mapping-schema.js';
import {
  addObservation,
  applyField,
  finishEpisode,
  newEpisodeDraft,
  readFieldValue,
  readObservation,
  readTime,
  resolveAnchor,
  type MappedContext,
} from './mapped-episode.js';

export function wideCsvToRecords(text: string, mapping: WideCsvMapping, ctx: MappedContext, site: string): ConversionResult {
  const file = ctx.file;
  const csv = readCsvTable(text, file, mapping.delimiter);
  const rejections: Rejection[] = [...csv.rejections];
  const at = columnIndexer(csv.header, file);

  const fields: { name: string; at: number; t: FieldTarget }[] = [];
  const observations: { name: string; at: number; timeAt: number; t: WideObservationTarget }[] = [];
  let pidAt = -1;
  let eidAt = -1;
  for (const [name, t] of Object.entries(mapping.columns)) {
    const i = at(name, 'columns');
    if ('observation' in t) observations.push({ name, at: i, timeAt: t.timeColumn === undefined ? -1 : at(t.timeColumn, `timeColumn of ${name}`), t });
    else if (t.field === 'patient_id') pidAt = i;
    else if (t.field === 'episode_id') eidAt = i;
    else fields.push({ name, at: i, t });
  }
  const used = new Set([...Object.keys(mapping.columns), ...mapping.ignoreColumns, ...observations.flatMap((o) => (o.t.timeColumn ? [o.t.timeColumn] : []))]);
  csv.header.forEach((h) => {
    if (!used.has(h)) rejections.push({ file, row: 1, field: h, value: h, reason: 'a column the mapping uses or lists in ignoreColumns; the values of this column are not imported' });
  });

  const reject = (row: number, field: string, value: string, reason: string): void => {
    rejections.push({ file, row, field, value: rejectionValue(value), reason });
  };
  const seen = new Map<string, number>();
  const records: RegistryRecord[] = [];
  const pidName = csv.header[pidAt];

  for (const { line, cells } of csv.rows) {
    const pid = cells[pidAt].trim();
    if (pid === '') {
      reject(line, pidName, '', 'a patient id');
      continue;
    }
    const eid = eidAt >= 0 && cells[eidAt].trim() !== '' ? cells[eidAt].trim() : pid;
    const key = `${pid}\u0000${eid}`;
    const first = seen.get(key);
    if (first !== undefined) {
      reject(line, eidAt >= 0 ? csv.header[eidAt] : pidName, eid, `one row per patient episode; ${eid} is already on line ${first}`);
      continue;
    }
    seen.set(key, line);
    const d = newEpisodeDraft(pid, eid, line);
    d.rows = 1;

    for (const f of fields) {
      const text = cells[f.at].trim();
      if (text === '') continue;
      const v = fieldDef(f.t.field).kind === 'time' ? readTime(text, ctx) : readFieldValue(f.t, text, ctx);
      if (!v.ok) {
        reject(line, f.name, text, v.reason);
        continue;
      }
      const problem = applyField(d, f.t, v.value, line, f.name, f.t.device ?? 0);
      if (problem !== undefined) reject(line, f.name, text, problem);
    }
    resolveAnchor(d, mapping);
    for (const o of observations) {
      const text = cells[o.at].trim();
      if (text === '') continue;
      let time: string;
      if (o.timeAt >= 0) {
        const t = readTime(cells[o.timeAt].trim(), ctx);
        if (!t.ok) {
          reject(line, o.t.timeColumn ?? o.name, cells[o.timeAt].trim(), `the time of ${o.name}: ${t.reason}`);
          continue;
        }
        time = t.value;
      } else {
        const shifted = d.anchor ? addMinutesIso(d.anchor.time, (o.t.offsetHours ?? 0) * 60) : undefined;
        if (shifted === undefined) {
          reject(line, o.name, text, `an anchor time for this row: ${o.name} is taken ${o.t.offsetHours} h after the anchor`);
          continue;
        }
        const future = futureReason(shifted, ctx.now);
        if (future) {
          reject(line, o.name, text, `a time not in the future; anchor + ${o.t.offsetHours} h ${future}`);
          continue;
        }
        time = shifted;
      }
      const obs = readObservation(o.t.observation, text, '', time, o.t, ctx);
      if (!obs.ok) reject(line, o.name, text, obs.reason);
      else addObservation(d, obs.value, line);
    }
    const done = finishEpisode(d, mapping, site, file);
    rejections.push(...done.rejections);
    if (done.record) records.push(done.record);
  }
  rejections.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { records, rejections, rowsRead: csv.rowsRead };
}
