// A REDCap project's data dictionary: the CSV a project designer downloads from (and uploads to) REDCap's
// "Dictionary" page. Its 18 column headers are fixed by REDCap; this module reads them strictly so an export can be
// checked against the project that produced it.
import { ImportFileError } from '../record.js';
import { readCsv } from './redcap-csv.js';

/** The column headers of a REDCap data dictionary, in REDCap's order. */
export const REDCAP_DICTIONARY_HEADER = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
] as const;

export const REDCAP_FIELD_TYPES = ['text', 'notes', 'dropdown', 'radio', 'checkbox', 'yesno', 'truefalse', 'calc', 'file', 'descriptive', 'slider', 'sql'] as const;
export type RedcapFieldType = (typeof REDCAP_FIELD_TYPES)[number];

/**
 * Text validation types this importer understands. Dates and date-times are exported raw in Y-M-D order whatever
 * their display order (REDCap's raw export), so the _mdy/_dmy variants read the same way.
 */
export const REDCAP_VALIDATIONS = [
  'date_ymd', 'date_mdy', 'date_dmy',
  'datetime_ymd', 'datetime_mdy', 'datetime_dmy',
  'datetime_seconds_ymd', 'datetime_seconds_mdy', 'datetime_seconds_dmy',
  'time', 'number', 'number_1dp', 'number_2dp', 'number_3dp', 'number_4dp', 'integer',
  'email', 'phone', 'zipcode', 'alpha_only', 'postalcode_canada', 'postalcode_french', 'postalcode_germany',
] as const;
export type RedcapValidation = (typeof REDCAP_VALIDATIONS)[number];

/** What a text field's raw value is, as far as the importer is concerned. */
export type RedcapValueKind = 'string' | 'number' | 'integer' | 'date' | 'datetime' | 'datetime_seconds' | 'time';

export interface RedcapChoice {
  readonly code: string;
  readonly label: string;
}

export interface RedcapField {
  readonly name: string;
  readonly form: string;
  readonly type: RedcapFieldType;
  readonly label: string;
  /** Choices of dropdown, radio and checkbox fields (yesno/truefalse get 1/0 here too), in order. */
  readonly choices: readonly RedcapChoice[];
  readonly note: string;
  readonly validation?: RedcapValidation;
  /** How the raw value reads: derived from type and validation. */
  readonly valueKind: RedcapValueKind;
  /** Text Validation Min/Max as written (a number, or a date in the validation's raw format). */
  readonly min?: string;
  readonly max?: string;
  readonly identifier: boolean;
  readonly required: boolean;
  readonly branching: string;
  readonly annotation: string;
  /** Physical line of the field in the dictionary file. */
  readonly line: number;
}

export interface RedcapDictionary {
  readonly file: string;
  /** Fields in dictionary order; the first is the record id field (a REDCap rule). */
  readonly fields: readonly RedcapField[];
  readonly byName: ReadonlyMap<string, RedcapField>;
  readonly recordIdField: string;
  /** Instrument (form) names in dictionary order. */
  readonly forms: readonly string[];
}

const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/;
const CHOICE_CODE = /^-?[A-Za-z0-9_.]+$/;

/** Parses a REDCap data dictionary CSV; throws ImportFileError (naming line, column and value) when it is broken. */
export function parseRedcapDictionary(text: string, file: string): RedcapDictionary {
  const table = readCsv(text, file);
  const header = table.header.map((h) => h.trim());
  REDCAP_DICTIONARY_HEADER.forEach((expected, i) => {
    if (header[i] !== expected) {
      throw new ImportFileError(file, `header column ${i + 1}`, header[i] ?? '(missing)', `'${expected}' (REDCap data dictionary headers, in order)`);
    }
  });
  if (header.length !== REDCAP_DICTIONARY_HEADER.length) {
    throw new ImportFileError(file, 'header', `${header.length} columns`, `the ${REDCAP_DICTIONARY_HEADER.length} REDCap data dictionary columns`);
  }
  const fields: RedcapField[] = [];
  const byName = new Map<string, RedcapField>();
  const forms: string[] = [];
  for (const row of table.rows) {
    const cell = (column: (typeof REDCAP_DICTIONARY_HEADER)[number]): string => row.cells[REDCAP_DICTIONARY_HEADER.indexOf(column)].trim();
    const fail = (column: string, value: string, expected: string): never => {
      throw new ImportFileError(file, `line ${row.line}, ${column}`, value === '' ? '(empty)' : value, expected);
    };
    const name = cell('Variable / Field Name');
    if (!VARIABLE_NAME.test(name)) fail('Variable / Field Name', name, 'lower-case letters, digits and underscores, starting with a letter');
    if (byName.has(name)) fail('Variable / Field Name', name, `a name not already used (first on line ${byName.get(name)?.line})`);
    const form = cell('Form Name');
    if (!VARIABLE_NAME.test(form)) fail('Form Name', form, 'lower-case letters, digits and underscores, starting with a letter');
    const typeText = cell('Field Type');
    const type = REDCAP_FIELD_TYPES.find((t) => t === typeText) ?? fail('Field Type', typeText, `one of ${REDCAP_FIELD_TYPES.join(', ')}`);
    const validationText = cell('Text Validation Type OR Show Slider Number');
    let validation: RedcapValidation | undefined;
    if (type === 'text' && validationText !== '') {
      validation = REDCAP_VALIDATIONS.find((v) => v === validationText) ?? fail('Text Validation Type OR Show Slider Number', validationText, `one of ${REDCAP_VALIDATIONS.join(', ')}`);
    }
    let choices: RedcapChoice[] = [];
    const choicesText = cell('Choices, Calculations, OR Slider Labels');
    if (type === 'dropdown' || type === 'radio' || type === 'checkbox') {
      choices = parseChoices(choicesText, (value, expected) => fail('Choices, Calculations, OR Slider Labels', value, expected));
    } else if (type === 'yesno') {
      choices = [{ code: '1', label: 'Yes' }, { code: '0', label: 'No' }];
    } else if (type === 'truefalse') {
      choices = [{ code: '1', label: 'True' }, { code: '0', label: 'False' }];
    }
    const valueKind = valueKindOf(type, validation);
    const min = cell('Text Validation Min');
    const max = cell('Text Validation Max');
    for (const [column, bound] of [['Text Validation Min', min], ['Text Validation Max', max]] as const) {
      if (bound !== '' && !isValidRaw(valueKind, bound)) fail(column, bound, `a bound in the format of ${validation ?? type}`);
    }
    const flag = (column: 'Identifier?' | 'Required Field?'): boolean => {
      const v = cell(column);
      if (v !== '' && v !== 'y') fail(column, v, "'y' or empty");
      return v === 'y';
    };
    const field: RedcapField = {
      name, form, type, label: cell('Field Label'), choices, note: cell('Field Note'),
      ...(validation !== undefined ? { validation } : {}),
      valueKind,
      ...(min !== '' ? { min } : {}),
      ...(max !== '' ? { max } : {}),
      identifier: flag('Identifier?'), required: flag('Required Field?'),
      branching: cell('Branching Logic (Show field only if...)'), annotation: cell('Field Annotation'), line: row.line,
    };
    fields.push(field);
    byName.set(name, field);
    if (!forms.includes(form)) forms.push(form);
    else if (forms[forms.length - 1] !== form) fail('Form Name', form, 'the fields of one instrument next to each other (REDCap requires it)');
  }
  if (fields.length === 0) throw new ImportFileError(file, 'fields', '(none)', 'at least the record id field');
  return { file, fields, byName, recordIdField: fields[0].name, forms };
}

/** Parses "code, label | code, label" (REDCap's choice syntax). */
function parseChoices(text: string, fail: (value: string, expected: string) => never): RedcapChoice[] {
  if (text === '') fail(text, "choices as 'code, label | code, label'");
  const choices: RedcapChoice[] = [];
  for (const part of text.split('|')) {
    const comma = part.indexOf(',');
    if (comma < 0) fail(part.trim(), "a choice as 'code, label'");
    const code = part.slice(0, comma).trim();
    const label = part.slice(comma + 1).trim();
    if (!CHOICE_CODE.test(code)) fail(code, 'a choice code of letters, digits, underscores or dots');
    if (choices.some((c) => c.code === code)) fail(code, 'choice codes that are unique within the field');
    choices.push({ code, label });
  }
  return choices;
}

function valueKindOf(type: RedcapFieldType, validation: RedcapValidation | undefined): RedcapValueKind {
  if (type === 'calc' || type === 'slider') return 'number';
  if (type !== 'text' || validation === undefined) return 'string';
  if (validation.startsWith('datetime_seconds')) return 'datetime_seconds';
  if (validation.startsWith('datetime')) return 'datetime';
  if (validation.startsWith('date')) return 'date';
  if (validation === 'integer') return 'integer';
  if (validation.startsWith('number')) return 'number';
  if (validation === 'time') return 'time';
  return 'string';
}

// REDCap's raw export formats: numbers with '.' decimals, dates Y-M-D, date-times 'Y-M-D H:M[:S]', time 'H:M'.
const RAW_FORMATS: Readonly<Record<Exclude<RedcapValueKind, 'string'>, RegExp>> = {
  number: /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/,
  integer: /^[-+]?\d+$/,
  date: /^(\d{4})-(\d{2})-(\d{2})$/,
  datetime: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/,
  datetime_seconds: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
  time: /^(\d{2}):(\d{2})$/,
};

/** Whether `raw` is a well-formed raw value of its kind (calendar-valid for dates). */
export function isValidRaw(kind: RedcapValueKind, raw: string): boolean {
  if (kind === 'string') return true;
  const m = RAW_FORMATS[kind].exec(raw);
  if (!m) return false;
  if (kind === 'date' || kind === 'datetime' || kind === 'datetime_seconds') {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
    if (kind !== 'date' && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) return false;
  }
  if (kind === 'time' && (Number(m[1]) > 23 || Number(m[2]) > 59)) return false;
  return true;
}

/** The export column of one checkbox choice: REDCap writes `field___code` with the code lower-cased. */
export function checkboxColumn(field: string, code: string): string {
  return `${field}___${code.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** A human description of what a field's raw value must be, for rejection reasons. */
export function expectedRaw(field: RedcapField): string {
  if (field.choices.length > 0) return `one of the choice codes ${field.choices.map((c) => c.code).join(', ')}`;
  const format: Record<RedcapValueKind, string> = {
    string: 'text',
    number: 'a number with a decimal point',
    integer: 'a whole number',
    date: 'a date YYYY-MM-DD',
    datetime: 'a date-time YYYY-MM-DD HH:MM',
    datetime_seconds: 'a date-time YYYY-MM-DD HH:MM:SS',
    time: 'a time HH:MM',
  };
  return format[field.valueKind];
}
