// Moved to src/package-root.ts (every layer reads shipped files); kept as a re-export for older imports.
export { packageRoot } from '../package-root.js';
