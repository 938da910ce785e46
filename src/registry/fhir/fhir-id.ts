// FHIR resource ids: R4 allows [A-Za-z0-9\-\.]{1,64} (hl7.org/fhir/R4/datatypes.html#id). Source ids (patient ids,
// episode ids) may hold any character, so the exporter derives a valid id from them and keeps the original verbatim
// in an identifier; the allocator keeps ids unique per resource type within one Bundle.

const ID_MAX = 64;

/** FNV-1a 32-bit hash as 8 hex digits: a short, stable suffix for ids that had to be shortened. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A valid FHIR id of at most `maxLength` characters derived from `text` (invalid characters become '-'). */
export function toFhirId(text: string, maxLength = ID_MAX): string {
  let id = text.replace(/[^A-Za-z0-9.-]/g, '-');
  if (id.length === 0) id = 'x';
  if (id.length > maxLength) id = `${id.slice(0, maxLength - 9)}-${fnv1a(text)}`;
  return id;
}

/** Hands out ids unique per resource type, derived from source ids. */
export class FhirIdAllocator {
  private readonly used = new Map<string, Set<string>>();

  /** A new id for `type` derived from `text`, at most `maxLength` characters, not handed out before for this type. */
  claim(type: string, text: string, maxLength = ID_MAX): string {
    let set = this.used.get(type);
    if (!set) this.used.set(type, (set = new Set()));
    const base = toFhirId(text, maxLength - 6);
    let id = base;
    for (let n = 2; set.has(id); n++) id = `${base}-${n}`;
    set.add(id);
    return id;
  }
}
