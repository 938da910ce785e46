// Every string in the report that comes from a study (title, labels, covariate names, levels, warnings) passes
// through one door: the `html` template escapes each interpolated value unless it is already SafeHtml, so a
// section cannot forget to escape (OWASP XSS Prevention Cheat Sheet, rule 1: HTML-encode element content and
// quoted attribute values).

/** Markup that is already safe: produced by `html` (which escaped its parts) or by vega's SVG renderer. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template slot accepts: text is escaped; null, undefined and false print nothing (for `cond && html`). */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML element content or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: html`<td>${label}</td>` escapes `label`; nested html`` and arrays of them are kept as markup. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
