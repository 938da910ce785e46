// Moved to src/registry/dataset/registry-analysis-rows.ts (the server builds the same rows); re-exported for the CLI.
export { readRegistryAnalysisRows, type RegistryAnalysisRows } from '../registry/dataset/registry-analysis-rows.js';
