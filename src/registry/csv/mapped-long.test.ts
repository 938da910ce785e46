// Throughput of the long-format conversion: plain loops, no per-row schema objects. 1M rows take about 4-5 s on the
// 2-core development machine (csv-parse itself about 3 s of it); this test guards against a regression to
// per-row quadratic or schema-heavy work with 200k rows and a generous bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappedCsvToRecords, parseCsvMapping } from './mapped-csv.js';

test('long format: 200k observation rows convert in a few seconds', () => {
  const mapping = parseCsvMapping(
    JSON.stringify({
      format: 'long',
      site: 's',
      columns: { patientId: 'pid', time: 'time', item: 'item', value: 'value', unit: 'unit' },
      anchor: { kind: 'admission', from: 'first_observation' },
      items: { LACT: { observation: 'lactate_mmol_L' }, MAP: { observation: 'map_mmHg' }, HB: { observation: 'hemoglobin_g_dL' }, APTT: { observation: 'aptt_s' } },
    }),
    'm.json',
  );
  const items = [['LACT', 'mmol/L'], ['MAP', 'mm[Hg]'], ['HB', 'g/dL'], ['APTT', 's']] as const;
  const parts = ['pid,time,item,value,unit\n'];
  const base = Date.UTC(2026, 0, 1);
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const [item, unit] = items[i % 4];
    const t = new Date(base + (i % 5000) * 60_000).toISOString().slice(0, 19);
    parts.push(`P${i % 400},${t}+01:00,${item},${(i % 50) / 10 + 1},${unit}\n`);
  }
  const t0 = performance.now();
  const r = mappedCsvToRecords(parts.join(''), mapping, { file: 'big.csv', now: new Date('2027-01-01T00:00:00Z') });
  const ms = performance.now() - t0;
  assert.deepEqual(r.rejections, []);
  assert.equal(r.rowsRead, n);
  assert.equal(r.records.length, 400);
  assert.equal(r.records.reduce((s, x) => s + (x.episode.observations?.length ?? 0), 0), n);
  assert.ok(ms < 10_000, `200k rows took ${Math.round(ms)} ms`);
});
