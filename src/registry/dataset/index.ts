// Public surface of the analysis-dataset builder: one row per patient record, its columns, and the CSV table.
export { analysisRow, FOLLOW_UP_CAP_D } from './analysis-row.js';
export { analysisTableCsv } from './analysis-csv.js';
export {
  ANALYSIS_COLUMNS,
  ANALYSIS_COLUMN_NAMES,
  type AnalysisColumn,
  type AnalysisColumnName,
  type AnalysisRow,
  type CellOf,
  type ColumnType,
} from './analysis-columns.js';
export {
  COMBINATION_WINDOW_MIN,
  DEVICE_GROUPS,
  TIME_ZERO_SOURCES,
  deviceSet,
  devicesAtTimeZero,
  timeZeroDevices,
  timeZeroOf,
  type DeviceGroup,
  type DeviceSet,
  type TimeZero,
  type TimeZeroSource,
} from './time-zero.js';
