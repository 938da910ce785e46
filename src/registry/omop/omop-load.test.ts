// Loadability: the exported CSVs load with COPY into an embedded PostgreSQL (PGlite), first into tables created
// from our description of the CDM v5.4 (omop-cdm-v54-tables.ts), then, when STRATUM_OMOP_DDL names the official
// OHDSI PostgreSQL DDL file (OHDSI/CommonDataModel inst/ddl/5.4/postgresql/OMOPCDM_postgresql_5.4_ddl.sql), into
// the official tables. The DDL is not shipped in the repository: it is public code we may not copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createTableSql, OMOP_TABLE_NAMES, omopColumns, type OmopTableName } from './omop-cdm-v54-tables.js';
import { omopTablesToCsv, recordsToOmop, type OmopTables } from './records-to-omop.js';
import { exampleRecords, WORKED_RECORD } from './__fixtures__/records.js';

const tables = recordsToOmop([WORKED_RECORD, ...exampleRecords().map((x) => x.record)]);
const files = omopTablesToCsv(tables);

async function loadAll(db: PGlite, schema: string | undefined): Promise<void> {
  for (const name of OMOP_TABLE_NAMES) {
    const csv = files.get(`${name}.csv`);
    assert.ok(csv !== undefined, `${name}.csv exported`);
    const target = schema === undefined ? name : `${schema}.${name}`;
    const columns = omopColumns(name).map((c) => c.name).join(', ');
    await db.query(`COPY ${target} (${columns}) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: new Blob([csv]) });
  }
}

async function assertLoaded(db: PGlite, t: OmopTables, schema: string | undefined): Promise<void> {
  for (const name of OMOP_TABLE_NAMES) {
    const target = schema === undefined ? name : `${schema}.${name}`;
    const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${target}`);
    assert.equal(count.rows[0]?.n, t[name as OmopTableName].length, `${name}: row count`);
    for (const c of omopColumns(name).filter((x) => x.required)) {
      const nulls = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${target} WHERE ${c.name} IS NULL`);
      assert.equal(nulls.rows[0]?.n, 0, `${name}.${c.name} is NOT NULL in the CDM`);
    }
  }
}

test('CSVs load into tables created from the CDM v5.4 description (PGlite), with every NOT NULL column filled', async () => {
  const db = new PGlite();
  try {
    for (const name of OMOP_TABLE_NAMES) await db.exec(createTableSql(name));
    await loadAll(db, undefined);
    await assertLoaded(db, tables, undefined);
    // Values survive the trip: the worked lactate (36 mg/dL -> mmol/L, molar mass 90.08 g/mol) and the UTC timestamp.
    const lac = await db.query<{ v: string; dt: string; d: string }>(
      `SELECT value_as_number::text AS v, to_char(measurement_datetime, 'YYYY-MM-DD HH24:MI:SS') AS dt, measurement_date::text AS d
         FROM measurement WHERE visit_occurrence_id = 1 AND measurement_source_value = '32693-4'`,
    );
    assert.equal(lac.rows.length, 1);
    assert.ok(Math.abs(Number(lac.rows[0]!.v) - 360 / 90.08) < 1e-9, `lactate ${lac.rows[0]!.v}`);
    assert.equal(lac.rows[0]!.dt, '2026-03-01 23:00:00');
    assert.equal(lac.rows[0]!.d, '2026-03-01');
    const death = await db.query<{ cause: string }>('SELECT cause_source_value AS cause FROM death WHERE person_id = 1');
    assert.deepEqual(death.rows, [{ cause: 'bleeding' }]);
  } finally {
    await db.close();
  }
});

/** Our description must match the DDL: same columns in the same order, same types and NOT NULL-ness. */
function ddlColumns(ddl: string, table: string): { name: string; type: string; required: boolean }[] {
  const m = new RegExp(`CREATE TABLE @cdmDatabaseSchema\\.${table} \\(([^;]*)\\);`).exec(ddl);
  assert.ok(m, `table ${table} in the official DDL`);
  return m[1]!.split(',\n').map((line) => {
    const parts = line.trim().split(/\s+/);
    return { name: parts[0]!, type: parts[1]!.toLowerCase(), required: /NOT NULL/.test(line) };
  });
}

const officialDdl = process.env.STRATUM_OMOP_DDL;
test(
  'CSVs load into the OFFICIAL OMOP CDM v5.4 PostgreSQL DDL (STRATUM_OMOP_DDL)',
  { skip: officialDdl === undefined || officialDdl === '' ? 'STRATUM_OMOP_DDL is not set: point it at OMOPCDM_postgresql_5.4_ddl.sql from OHDSI/CommonDataModel to run this test' : false },
  async () => {
    const ddl = readFileSync(officialDdl!, 'utf8');
    for (const name of OMOP_TABLE_NAMES) {
      const ours = omopColumns(name).map((c) => ({ name: c.name, type: c.type, required: c.required }));
      assert.deepEqual(ours, ddlColumns(ddl, name), `${name}: description matches the official DDL`);
    }
    const db = new PGlite();
    try {
      await db.exec('CREATE SCHEMA cdm;');
      await db.exec(ddl.replaceAll('@cdmDatabaseSchema.', 'cdm.'));
      await loadAll(db, 'cdm');
      await assertLoaded(db, tables, 'cdm');
    } finally {
      await db.close();
    }
  },
);
