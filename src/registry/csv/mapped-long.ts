// Long-format CSV (one observation or one episode-level fact per row) -> records, through a mapping of source item
// names ('LACT', 'MAP', 'Laktat') to observation codes or episode fields. One pass of plain loops over the rows: a
// million rows convert in seconds. Rows group into episodes by (patient id, episode id or patient id).
import { rejectionValue, type ConversionResult, type RegistryRecord, type Rejection } from '../record.js';
import { columnIndexer, readCsvTable } from './csv-table.js';
import { fieldDef, type LongCsvMapping } from './mapping-schema.js';
import {
  addObservation,
  applyField,
  finishEpisode,
  newEpisodeDraft,
  readFieldValue,
  readObservation,
  readTime,
  setLastDeviceFactTime,
  type EpisodeDraft,
  type MappedContext,
} from './mapped-episode.js';

export function longCsvToRecords(text: string, mapping: LongCsvMapping, ctx: MappedContext, site: string): ConversionResult {
  const file = ctx.file;
  const csv = readCsvTable(text, file, mapping.delimiter);
  const rejections: Rejection[] = [...csv.rejections];
  const column = columnIndexer(csv.header, file);
  const col = (role: string, name: string | undefined): number => (name === undefined ? -1 : column(name, `${role} (columns.${role})`));
  const c = mapping.columns;
  const pidAt = col('patientId', c.patientId);
  const eidAt = col('episodeId', c.episodeId);
  const timeAt = col('time', c.time);
  const itemAt = col('item', c.item);
  const valueAt = col('value', c.value);
  const unitAt = col('unit', c.unit);
  const used = new Set([c.patientId, c.episodeId, c.time, c.item, c.value, c.unit, ...mapping.ignoreColumns]);
  csv.header.forEach((h) => {
    if (!used.has(h)) rejections.push({ file, row: 1, field: h, value: h, reason: 'a column the mapping uses or lists in ignoreColumns; the values of this column are not imported' });
  });

  const items = new Map(Object.entries(mapping.items));
  const ignored = new Set(mapping.ignoreItems);
  const drafts = new Map<string, EpisodeDraft>();
  const reject = (row: number, field: string, value: string, reason: string): void => {
    rejections.push({ file, row, field, value: rejectionValue(value), reason });
  };

  for (const { line, cells } of csv.rows) {
    const pid = cells[pidAt].trim();
    if (pid === '') {
      reject(line, c.patientId, '', 'a patient id');
      continue;
    }
    const eid = eidAt >= 0 && cells[eidAt].trim() !== '' ? cells[eidAt].trim() : pid;
    const key = `${pid}\u0000${eid}`;
    let d = drafts.get(key);
    if (!d) {
      d = newEpisodeDraft(pid, eid, line);
      drafts.set(key, d);
    }
    d.rows++;
    const item = cells[itemAt].trim();
    const target = items.get(item);
    if (target === undefined) {
      if (!ignored.has(item)) reject(line, c.item, item, "an item name the mapping knows: add it to items (an observation code or an episode field) or to ignoreItems");
      continue;
    }
    const timeText = cells[timeAt].trim();
    if ('observation' in target) {
      const time = readTime(timeText, ctx);
      if (!time.ok) {
        reject(line, c.time, timeText, time.reason);
        continue;
      }
      const o = readObservation(target.observation, cells[valueAt].trim(), unitAt >= 0 ? cells[unitAt].trim() : '', time.value, target, ctx);
      if (!o.ok) {
        if ('field' in o && o.field === 'unit') {
          const given = unitAt >= 0 ? cells[unitAt].trim() : '';
          reject(line, c.unit ?? c.item, given !== '' ? given : `(no unit; assumed ${target.unit ?? 'the canonical unit'})`, o.reason);
        } else reject(line, c.value, cells[valueAt].trim(), o.reason);
        continue;
      }
      addObservation(d, o.value, line);
      continue;
    }
    // an episode-level field: time fields take the row's time, the others the value cell
    const isTime = fieldDef(target.field).kind === 'time';
    const text = isTime ? timeText : cells[valueAt].trim();
    if (text === '') {
      reject(line, isTime ? c.time : c.value, '', `a value for ${target.field}`);
      continue;
    }
    const value = isTime ? readTime(text, ctx) : readFieldValue(target, text, ctx);
    if (!value.ok) {
      reject(line, isTime ? c.time : c.value, text, value.reason);
      continue;
    }
    const problem = applyField(d, target, value.value, line, item, undefined);
    if (problem !== undefined) {
      reject(line, isTime ? c.time : c.value, text, problem);
      continue;
    }
    if (target.field === 'device_removal') setLastDeviceFactTime(d, String(value.value));
    else if (target.field.startsWith('device_') && target.field !== 'device_insertion' && timeText !== '') {
      // a model, access site or selection reasons row belongs to the device in place at the row's time
      const t = readTime(timeText, ctx);
      if (t.ok) setLastDeviceFactTime(d, t.value);
    }
    // the insertion row of a device may name its model in the value cell
    if (target.field === 'device_insertion' && target.deviceKind === 'microaxial' && cells[valueAt].trim() !== '') {
      const model = readFieldValue({ ...target, field: 'device_model' }, cells[valueAt].trim(), ctx);
      const dev = d.devices[d.devices.length - 1];
      if (model.ok) dev.model = String(model.value);
      else reject(line, c.value, cells[valueAt].trim(), `the pump model: ${model.reason}`);
    }
  }

  const records: RegistryRecord[] = [];
  for (const d of drafts.values()) {
    const done = finishEpisode(d, mapping, site, file);
    rejections.push(...done.rejections);
    if (done.record) records.push(done.record);
  }
  rejections.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { records, rejections, rowsRead: csv.rowsRead };
}
