// CSV import and export: the native Stratum layout (lossless, re-importable) and mapped long/wide files from other
// systems. Pure conversions; the caller reads the files (decodeCsvBytes) and writes to the database.
export { decodeCsvBytes } from './decode.js';
export { recordsToCsvTables } from './native-write.js';
export { nativeCsvToRecords, isNativeCsvFileName, type NativeCsvFile, type NativeCsvOptions } from './native-read.js';
export { NATIVE_TABLES, nativeFileForPath } from './native-layout.js';
export { mappedCsvToRecords, parseCsvMapping, type MappedCsvOptions, type CsvMappingInput } from './mapped-csv.js';
export { csvMappingSchema, type CsvMapping, type LongCsvMapping, type WideCsvMapping } from './mapping-schema.js';
