// Plain-text tables for terminal output: right-aligned numbers, left-aligned text, one space-padded grid.

export type Cell = string | number | null;

/** Formats a number with `digits` significant digits, as R's print does (no trailing exponent noise). */
export function formatNumber(value: number | null, digits = 4): string {
  if (value === null || Number.isNaN(value)) return 'NA';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e7) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  if (Number.isInteger(value) && magnitude < 1e7) return String(value);
  return String(Number(value.toPrecision(digits)));
}

/** Formats a p-value as R does: '<2e-16' below machine precision. */
export function formatP(p: number): string {
  return p < 2e-16 ? '<2e-16' : formatNumber(p, 3);
}

/** Renders rows under a header as an aligned text table. */
export function textTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c ?? 'NA')));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  const numericColumn = header.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (numericColumn[j] && j > 0 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}
