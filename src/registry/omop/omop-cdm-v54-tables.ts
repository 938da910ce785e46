// The 8 OMOP CDM v5.4 tables Stratum exports, described as facts: every column in the CDM's order, its type and
// whether it is required (NOT NULL). Source: OMOP CDM v5.4 documentation (https://ohdsi.github.io/CommonDataModel/
// cdm54.html) and its PostgreSQL DDL (OHDSI/CommonDataModel, inst/ddl/5.4/postgresql). Written here in our own form;
// the row types of the exporter are derived from this description, so the two cannot drift apart.

/** Column types used by these tables, as the v5.4 PostgreSQL DDL declares them. */
export type OmopColumnType = 'integer' | 'date' | 'timestamp' | 'numeric' | 'text' | `varchar(${number})`;

export interface OmopColumn<N extends string = string, T extends OmopColumnType = OmopColumnType, R extends boolean = boolean> {
  readonly name: N;
  readonly type: T;
  /** NOT NULL in the CDM. */
  readonly required: R;
}

const req = <N extends string, T extends OmopColumnType>(name: N, type: T): OmopColumn<N, T, true> => ({ name, type, required: true });
const opt = <N extends string, T extends OmopColumnType>(name: N, type: T): OmopColumn<N, T, false> => ({ name, type, required: false });

const person = [
  req('person_id', 'integer'),
  req('gender_concept_id', 'integer'),
  req('year_of_birth', 'integer'),
  opt('month_of_birth', 'integer'),
  opt('day_of_birth', 'integer'),
  opt('birth_datetime', 'timestamp'),
  req('race_concept_id', 'integer'),
  req('ethnicity_concept_id', 'integer'),
  opt('location_id', 'integer'),
  opt('provider_id', 'integer'),
  opt('care_site_id', 'integer'),
  opt('person_source_value', 'varchar(50)'),
  opt('gender_source_value', 'varchar(50)'),
  opt('gender_source_concept_id', 'integer'),
  opt('race_source_value', 'varchar(50)'),
  opt('race_source_concept_id', 'integer'),
  opt('ethnicity_source_value', 'varchar(50)'),
  opt('ethnicity_source_concept_id', 'integer'),
] as const;

const visit_occurrence = [
  req('visit_occurrence_id', 'integer'),
  req('person_id', 'integer'),
  req('visit_concept_id', 'integer'),
  req('visit_start_date', 'date'),
  opt('visit_start_datetime', 'timestamp'),
  req('visit_end_date', 'date'),
  opt('visit_end_datetime', 'timestamp'),
  req('visit_type_concept_id', 'integer'),
  opt('provider_id', 'integer'),
  opt('care_site_id', 'integer'),
  opt('visit_source_value', 'varchar(50)'),
  opt('visit_source_concept_id', 'integer'),
  opt('admitted_from_concept_id', 'integer'),
  opt('admitted_from_source_value', 'varchar(50)'),
  opt('discharged_to_concept_id', 'integer'),
  opt('discharged_to_source_value', 'varchar(50)'),
  opt('preceding_visit_occurrence_id', 'integer'),
] as const;

const measurement = [
  req('measurement_id', 'integer'),
  req('person_id', 'integer'),
  req('measurement_concept_id', 'integer'),
  req('measurement_date', 'date'),
  opt('measurement_datetime', 'timestamp'),
  opt('measurement_time', 'varchar(10)'),
  req('measurement_type_concept_id', 'integer'),
  opt('operator_concept_id', 'integer'),
  opt('value_as_number', 'numeric'),
  opt('value_as_concept_id', 'integer'),
  opt('unit_concept_id', 'integer'),
  opt('range_low', 'numeric'),
  opt('range_high', 'numeric'),
  opt('provider_id', 'integer'),
  opt('visit_occurrence_id', 'integer'),
  opt('visit_detail_id', 'integer'),
  opt('measurement_source_value', 'varchar(50)'),
  opt('measurement_source_concept_id', 'integer'),
  opt('unit_source_value', 'varchar(50)'),
  opt('unit_source_concept_id', 'integer'),
  opt('value_source_value', 'varchar(50)'),
  opt('measurement_event_id', 'integer'),
  opt('meas_event_field_concept_id', 'integer'),
] as const;

const drug_exposure = [
  req('drug_exposure_id', 'integer'),
  req('person_id', 'integer'),
  req('drug_concept_id', 'integer'),
  req('drug_exposure_start_date', 'date'),
  opt('drug_exposure_start_datetime', 'timestamp'),
  req('drug_exposure_end_date', 'date'),
  opt('drug_exposure_end_datetime', 'timestamp'),
  opt('verbatim_end_date', 'date'),
  req('drug_type_concept_id', 'integer'),
  opt('stop_reason', 'varchar(20)'),
  opt('refills', 'integer'),
  opt('quantity', 'numeric'),
  opt('days_supply', 'integer'),
  opt('sig', 'text'),
  opt('route_concept_id', 'integer'),
  opt('lot_number', 'varchar(50)'),
  opt('provider_id', 'integer'),
  opt('visit_occurrence_id', 'integer'),
  opt('visit_detail_id', 'integer'),
  opt('drug_source_value', 'varchar(50)'),
  opt('drug_source_concept_id', 'integer'),
  opt('route_source_value', 'varchar(50)'),
  opt('dose_unit_source_value', 'varchar(50)'),
] as const;

const procedure_occurrence = [
  req('procedure_occurrence_id', 'integer'),
  req('person_id', 'integer'),
  req('procedure_concept_id', 'integer'),
  req('procedure_date', 'date'),
  opt('procedure_datetime', 'timestamp'),
  opt('procedure_end_date', 'date'),
  opt('procedure_end_datetime', 'timestamp'),
  req('procedure_type_concept_id', 'integer'),
  opt('modifier_concept_id', 'integer'),
  opt('quantity', 'integer'),
  opt('provider_id', 'integer'),
  opt('visit_occurrence_id', 'integer'),
  opt('visit_detail_id', 'integer'),
  opt('procedure_source_value', 'varchar(50)'),
  opt('procedure_source_concept_id', 'integer'),
  opt('modifier_source_value', 'varchar(50)'),
] as const;

const device_exposure = [
  req('device_exposure_id', 'integer'),
  req('person_id', 'integer'),
  req('device_concept_id', 'integer'),
  req('device_exposure_start_date', 'date'),
  opt('device_exposure_start_datetime', 'timestamp'),
  opt('device_exposure_end_date', 'date'),
  opt('device_exposure_end_datetime', 'timestamp'),
  req('device_type_concept_id', 'integer'),
  opt('unique_device_id', 'varchar(255)'),
  opt('production_id', 'varchar(255)'),
  opt('quantity', 'integer'),
  opt('provider_id', 'integer'),
  opt('visit_occurrence_id', 'integer'),
  opt('visit_detail_id', 'integer'),
  opt('device_source_value', 'varchar(50)'),
  opt('device_source_concept_id', 'integer'),
  opt('unit_concept_id', 'integer'),
  opt('unit_source_value', 'varchar(50)'),
  opt('unit_source_concept_id', 'integer'),
] as const;

const condition_occurrence = [
  req('condition_occurrence_id', 'integer'),
  req('person_id', 'integer'),
  req('condition_concept_id', 'integer'),
  req('condition_start_date', 'date'),
  opt('condition_start_datetime', 'timestamp'),
  opt('condition_end_date', 'date'),
  opt('condition_end_datetime', 'timestamp'),
  req('condition_type_concept_id', 'integer'),
  opt('condition_status_concept_id', 'integer'),
  opt('stop_reason', 'varchar(20)'),
  opt('provider_id', 'integer'),
  opt('visit_occurrence_id', 'integer'),
  opt('visit_detail_id', 'integer'),
  opt('condition_source_value', 'varchar(50)'),
  opt('condition_source_concept_id', 'integer'),
  opt('condition_status_source_value', 'varchar(50)'),
] as const;

const death = [
  req('person_id', 'integer'),
  req('death_date', 'date'),
  opt('death_datetime', 'timestamp'),
  opt('death_type_concept_id', 'integer'),
  opt('cause_concept_id', 'integer'),
  opt('cause_source_value', 'varchar(50)'),
  opt('cause_source_concept_id', 'integer'),
] as const;

/** The tables we export, in the order a loader creates and fills them. */
export const OMOP_TABLES = {
  person,
  visit_occurrence,
  measurement,
  drug_exposure,
  procedure_occurrence,
  device_exposure,
  condition_occurrence,
  death,
} as const;

export type OmopTableName = keyof typeof OMOP_TABLES;
export const OMOP_TABLE_NAMES = Object.keys(OMOP_TABLES) as OmopTableName[];

/**
 * The TypeScript value of a column type in an exported row: numbers for integer and numeric, and text already in
 * the CDM's load format for dates ('YYYY-MM-DD') and timestamps ('YYYY-MM-DD HH:MM:SS', UTC).
 */
type ValueOf<T extends OmopColumnType> = T extends 'integer' | 'numeric' ? number : string;

type Columns<N extends OmopTableName> = (typeof OMOP_TABLES)[N][number];

/** One row of table N: required columns carry a value, optional ones a value or null. */
export type OmopRow<N extends OmopTableName> = {
  readonly [C in Columns<N> as C['name']]: C['required'] extends true ? ValueOf<C['type']> : ValueOf<C['type']> | null;
};

/** The columns of a table, in CDM order. */
export function omopColumns(table: OmopTableName): readonly OmopColumn[] {
  return OMOP_TABLES[table];
}

/** A CREATE TABLE statement for one table from this description (PostgreSQL); `schema` qualifies the name. */
export function createTableSql(table: OmopTableName, schema?: string): string {
  const name = schema === undefined ? table : `${schema}.${table}`;
  const cols = omopColumns(table).map((c) => `  ${c.name} ${c.type.toUpperCase()}${c.required ? ' NOT NULL' : ' NULL'}`);
  return `CREATE TABLE ${name} (\n${cols.join(',\n')}\n);`;
}
