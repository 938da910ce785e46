// Readable terminal layouts for `stratum clinical`: one function per rule family, each printing what the rule in
// src/clinical computed (never recomputing it), with times shown on the clock of the episode's anchor and relative to
// it, bounds where data are missing, and every line kept within 100 columns.
import type { AnticoagulationAssessment } from '../clinical/anticoagulation/index.js';
import { formatAnticoagulationSummary } from '../clinical/anticoagulation/index.js';
import type { AssessedBleedingEvent, BleedingAssessment, DefinitionSummary } from '../clinical/bleeding/index.js';
import type { Episode, InputWarning } from '../clinical/episode/episode.js';
import { minutesBetween } from '../clinical/episode/episode.js';
import type { HemodynamicProfile } from '../clinical/hemodynamics/assess-hemodynamics.js';
import type { HemolysisAssessment } from '../clinical/hemolysis/hemolysis-grade.js';
import type { OrganFunction } from '../clinical/organ/assess-organ.js';
import type { SofaComponent } from '../clinical/organ/sofa.js';
import type { Phenotype } from '../clinical/phenotype/assess-phenotype.js';
import type { Reason, RuleResult, Tri } from '../clinical/rule-result.js';
import type { ScaiEpisodeAssessment, ScaiStage } from '../clinical/scai/index.js';
import { formatNumber, textTable, type Cell } from './text-table.js';

/** Terminal width every line is wrapped to. */
export const WIDTH = 100;

/** What every formatter needs besides the rule result: the episode (for times) and the assessment time. */
export interface ClinicalView {
  readonly episode: Episode;
  /** Assessment time, minutes since the anchor. */
  readonly atMin: number;
  /** True when --at was not given and the last recorded time is used. */
  readonly atIsDefault: boolean;
  readonly warnings: readonly InputWarning[];
}

/** All families, as `stratum clinical assess` computes them. */
export interface PatientAssessment {
  readonly scai: RuleResult<ScaiEpisodeAssessment>;
  readonly hemodynamics: HemodynamicProfile;
  readonly phenotype: Phenotype;
  readonly organ: OrganFunction;
  readonly hemolysis: RuleResult<HemolysisAssessment>;
  readonly bleeding: BleedingAssessment;
  readonly anticoagulation: RuleResult<AnticoagulationAssessment>;
}

// ---------------------------------------------------------------- small helpers

/** Wraps `text` to WIDTH: the first line starts at `indent`, continuation lines at `hang`. */
function wrap(text: string, indent = 2, hang = indent + 2): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = ' '.repeat(indent);
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(hang) + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Re-wraps preformatted lines (e.g. from formatAnticoagulationSummary), keeping each line's own indentation. */
function rewrap(lines: readonly string[]): string[] {
  return lines.flatMap((l) => {
    const indent = l.length - l.trimStart().length;
    return l.length <= WIDTH ? [l] : wrap(l.trimStart(), indent, indent + 4);
  });
}

const LABEL = 22;
/** A `label  value` line with the value column aligned and wrapped under itself. */
function kv(label: string, value: string, indent = 2): string[] {
  return wrap(`${label.padEnd(LABEL)} ${value}`, indent, indent + LABEL + 1);
}

function missingLines(missing: readonly string[], indent = 2): string[] {
  return missing.length === 0 ? [] : wrap(`missing inputs: ${missing.join(', ')}`, indent);
}

function offsetMinOf(iso: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function offsetText(iso: string): string {
  const off = offsetMinOf(iso);
  if (off === 0) return 'UTC';
  const a = Math.abs(off);
  return `UTC${off < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** `+6.0 h` / `−0.2 h` relative to the anchor. */
export function rel(tMin: number): string {
  const h = Math.abs(tMin) / 60;
  return `${tMin < 0 ? '−' : '+'}${h.toFixed(1)} h`;
}

/** Wall-clock time of t_min on the anchor's UTC offset: `2026-04-10 16:00`. */
function clock(episode: Episode, tMin: number): string {
  const ms = Date.parse(episode.anchor.time) + (tMin + offsetMinOf(episode.anchor.time)) * 60000;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-04-10 16:00 (+6.0 h)`. */
function when(episode: Episode, tMin: number): string {
  return `${clock(episode, tMin)} (${rel(tMin)})`;
}

function whenIso(episode: Episode, iso: string | undefined): string {
  return iso === undefined ? 'time not recorded' : when(episode, minutesBetween(episode.anchor.time, iso));
}

function tri(x: Tri | boolean): string {
  return x === 'unknown' ? 'unknown' : x ? 'yes' : 'no';
}

function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '–' : formatNumber(x, digits);
}

function stageRange(lower: ScaiStage, upper: ScaiStage): string {
  return lower === upper ? lower : `${lower}..${upper}`;
}

function boundedNumber(lower: number, upper: number, unit = ''): string {
  return lower === upper ? `${formatNumber(lower, 4)}${unit}` : `${formatNumber(lower, 4)} to ${formatNumber(upper, 4)}${unit} (bounds: data missing)`;
}

function reasonLines(reasons: readonly Reason[], indent = 4): string[] {
  return reasons.flatMap((r) => wrap(`- ${r.text}`, indent, indent + 2));
}

const humanize = (s: string): string => s.replace(/_/g, ' ');

// ---------------------------------------------------------------- header and warnings

const ANCHOR_NAMES: Readonly<Record<string, string>> = {
  admission: 'hospital admission',
  cicu_admission: 'CICU admission',
  shock_onset: 'shock onset',
  device_start: 'device start',
  index_event: 'index event',
};

function deviceName(d: Episode['devices'][number]): string {
  switch (d.kind) {
    case 'iabp':
      return 'IABP';
    case 'microaxial':
      return d.model === 'other' ? (d.modelOther ?? 'microaxial pump') : d.model;
    case 'va_ecmo':
      return 'VA-ECMO';
    default:
      return d.description;
  }
}

/** Episode, anchor, assessment time, patient and devices; then the input warnings. */
export function formatHeader(title: string, v: ClinicalView): string[] {
  const e = v.episode;
  const lines = [`${title}: episode ${e.id}${e.site ? ` (site ${e.site})` : ''}`];
  lines.push(...kv('anchor', `${ANCHOR_NAMES[e.anchor.kind] ?? e.anchor.kind}, ${clock(e, 0)} ${offsetText(e.anchor.time)} (clock times below: same offset; +h = since anchor)`));
  lines.push(...kv('assessed at', `${when(e, v.atMin)}${v.atIsDefault ? ', the last record (choose another time with --at)' : ''}`));
  const d = e.demographics;
  const patient = [
    d.sex,
    d.age_years !== undefined ? `${d.age_years} y` : undefined,
    d.weight_kg !== undefined ? `${formatNumber(d.weight_kg, 4)} kg` : 'weight not recorded',
    d.height_cm !== undefined ? `${formatNumber(d.height_cm, 4)} cm` : undefined,
    e.clinical.etiology ? `etiology ${e.clinical.etiology}` : undefined,
  ].filter((x): x is string => x !== undefined);
  lines.push(...kv('patient', patient.join(', ')));
  const devices = e.devices.map((x) => `${deviceName(x)} ${rel(x.t_insertion_min)}${x.t_removal_min !== undefined ? ` to ${rel(x.t_removal_min)}` : ''}`);
  lines.push(...kv('devices', devices.length > 0 ? devices.join('; ') : 'none recorded'));
  lines.push('', ...formatInputWarnings(v.warnings));
  return lines;
}

/** Input warnings (values accepted but outside the usual range): shown first so they are read first. */
export function formatInputWarnings(warnings: readonly InputWarning[]): string[] {
  if (warnings.length === 0) return ['Input warnings: none'];
  return [
    `Input warnings: ${warnings.length} value${warnings.length === 1 ? '' : 's'} accepted but outside the usual range; please review`,
    ...warnings.flatMap((w) => wrap(`! ${w.message}`, 2, 4)),
  ];
}

// ---------------------------------------------------------------- SCAI

function stageRuns(blocks: ScaiEpisodeAssessment['trajectory']['blocks']): Cell[][] {
  const rows: Cell[][] = [];
  let start = 0;
  for (let i = 1; i <= blocks.length; i++) {
    if (i === blocks.length || blocks[i].label !== blocks[start].label) {
      const a = blocks[start].from_min;
      const b = blocks[i - 1].to_min;
      rows.push([`${formatNumber(a / 60, 3)}–${formatNumber(b / 60, 3)} h`, blocks[start].label, `${i - start} block${i - start === 1 ? '' : 's'}`]);
      start = i;
    }
  }
  return rows;
}

/** SCAI SHOCK stage: at admission, at each device start, maximum, time-weighted mean, at the assessment time, blocks. */
export function formatScai(r: RuleResult<ScaiEpisodeAssessment>, v: ClinicalView, detail = true): string[] {
  const s = r.result;
  const t = s.trajectory;
  const e = v.episode;
  const horizon = `${formatNumber((t.to_min - t.from_min) / 60, 3)} h`;
  const lines = wrap(`SCAI SHOCK stage (rule set ${s.ruleSetId}; C..E = lower..upper bound where data are missing; -A = arrest with coma)`, 0, 2);
  if (s.admission) {
    lines.push(...kv('at admission', `${s.admission.label} (Jentzer windows: first hour and first 24 h after admission)`));
  } else {
    const first = t.blocks[0];
    lines.push(...kv('at admission', `not assessed: the anchor is ${ANCHOR_NAMES[e.anchor.kind] ?? e.anchor.kind}${first ? `; first block (0–${formatNumber(first.to_min / 60, 3)} h): ${first.label}` : ''}`));
  }
  if (t.atDeviceStart.length === 0) lines.push(...kv('at device start', 'no device recorded'));
  t.atDeviceStart.forEach((d, i) => {
    lines.push(...kv(i === 0 ? 'at device start' : '', `${d.label ?? d.kind} at ${when(e, d.t_min)}: ${d.assessment.label}`));
  });
  const max = t.maximum;
  lines.push(...kv(`maximum, first ${horizon}`, `${stageRange(max.lower, max.upper)}${max.firstReachedLower_min !== null ? ` (${max.lower} first proven in the block ending ${rel(max.firstReachedLower_min)})` : ''}`));
  lines.push(...kv(`mean, first ${horizon}`, `${boundedNumber(t.timeWeightedMean.lower, t.timeWeightedMean.upper)}  (time-weighted, A = 1 … E = 5)`));
  lines.push(...kv(`hours in C–E`, boundedNumber(t.hoursInShock.lower, t.hoursInShock.upper, ' h')));
  lines.push(...kv('arrest modifier', `${tri(t.caModifier)} (SCAI ${s.version}, end of the first ${horizon})`));
  if (s.at) lines.push(...kv(s.at.t_min === v.atMin ? 'at assessment time' : `at ${rel(s.at.t_min)}`, `${s.at.label} (${when(e, s.at.t_min)})`));
  lines.push(`  stage over the first ${horizon} (${t.blockMin}-min blocks, each staged at its end):`);
  lines.push(...textTable(['hours', 'stage', 'blocks'], stageRuns(t.blocks)).split('\n').map((l) => `    ${l}`));
  if (detail && s.at) {
    const met = s.at.criteria.filter((c) => c.value === true);
    lines.push(`  criteria met at ${rel(s.at.t_min)}${met.length === 0 ? ': none' : ':'}`);
    lines.push(...met.flatMap((c) => wrap(`- ${c.block}: ${c.text}`, 4, 6)));
    const absent = Object.entries(s.at.completeness).filter(([, ok]) => !ok).map(([k]) => k);
    if (absent.length > 0) lines.push(...wrap(`not measured in their windows at ${rel(s.at.t_min)}: ${absent.join(', ')}`, 2));
  }
  lines.push(...missingLines(r.missing));
  return lines;
}

// ---------------------------------------------------------------- hemodynamics

/** Hemodynamic indices from the latest measurements at the assessment time, and the vasoactive state. */
export function formatHemodynamics(h: HemodynamicProfile, v: ClinicalView, detail = true): string[] {
  const p = h.parameters;
  const lines = [
    `Hemodynamics at ${when(v.episode, h.t_min)}`,
    ...wrap(`(latest values: vitals up to ${p.vitalsMaxAgeMin} min old, PA catheter up to ${p.pacMaxAgeMin} min; BSA ${p.bsaFormula}, CPO variant ${p.cpoVariant})`, 2),
  ];
  const rows: Array<[string, RuleResult<number | null>, string]> = [
    ['MAP', h.map, 'mmHg'],
    ['shock index', h.shockIndex, 'HR/SBP'],
    ['BSA', h.bsa, 'm²'],
    ['cardiac index', h.cardiacIndex, 'L/min/m²'],
    ['cardiac power output', h.cpo, 'W'],
    ['cardiac power index', h.cpi, 'W/m²'],
    ['PAPi', h.papi, ''],
    ['RAP/PCWP', h.rapPcwp, ''],
    ['SVR', h.svr, 'dyn·s·cm⁻⁵'],
  ];
  const table: Cell[][] = rows.map(([name, r, unit]) => [name, r.result === null ? '–' : num(r.result, 4), unit, r.result === null ? `missing ${r.missing.join(', ')}` : '']);
  table.push(['SvO2', h.svo2_pct === null ? '–' : num(h.svo2_pct, 3), '%', h.svo2_pct === null ? 'missing svo2_pct' : '']);
  lines.push(...textTable(['index', 'value', 'unit', ''], table).split('\n').map((l) => `  ${l}`));
  if (h.coMethod) lines.push(`  cardiac output measured by ${h.coMethod}`);
  const va = h.vasoactives;
  const doses = va.doses.map((d) => `${d.drug} ${formatNumber(d.rate, 4)} ${d.rateUnit}`);
  lines.push(...kv('vasoactives', doses.length > 0 ? `${doses.join(', ')} (${va.count} drug${va.count === 1 ? '' : 's'})` : 'none running'));
  lines.push(...kv('VIS / NEE', `${va.vis.result === null ? `VIS unknown (missing ${va.vis.missing.join(', ')})` : `VIS ${num(va.vis.result, 4)}`}; ${va.nee.result === null ? `NEE unknown (missing ${va.nee.missing.join(', ')})` : `NEE ${num(va.nee.result, 4)} ug/kg/min`}`));
  const thresholds = rows.flatMap(([, r]) => r.reasons.filter((x) => /_(gt|lt|ge|le)_/.test(x.criterion)));
  if (thresholds.length > 0) lines.push('  findings:', ...reasonLines(thresholds));
  if (detail) {
    const computed = rows.flatMap(([, r]) => r.reasons.filter((x) => !/_(gt|lt|ge|le)_/.test(x.criterion)));
    if (computed.length > 0) lines.push('  how each value was obtained:', ...reasonLines(computed));
  }
  return lines;
}

// ---------------------------------------------------------------- phenotype

const PHENOTYPE_NAMES: Readonly<Record<string, string>> = {
  hypotensive_cs: 'hypotensive CS',
  normotensive_cs: 'normotensive CS (hypoperfusion without hypotension)',
  isolated_hypotension: 'isolated hypotension (pre-shock, ≈ SCAI B)',
  no_shock_criteria: 'no shock criteria',
  indeterminate: 'indeterminate',
  lv_dominant: 'LV-dominant congestion',
  rv_dominant: 'RV-dominant congestion',
  biventricular: 'biventricular congestion',
  no_congestion: 'no congestion',
};
const phenotypeName = (x: string): string => PHENOTYPE_NAMES[x] ?? humanize(x);

/** SHARC category, normotensive vs hypotensive CS, ventricular phenotype (latest PA-catheter set and over time). */
export function formatPhenotype(p: Phenotype, v: ClinicalView, detail = true): string[] {
  const e = v.episode;
  const sh = p.sharc.result;
  const lines = [`Phenotype at ${when(e, p.t_min)}`];
  lines.push(...kv('SHARC category', `${sh.category}${sh.hfSubtype ? ` (${sh.hfSubtype})` : ''}; mixed shock ${tri(sh.mixedShock)}${sh.mixedComponent ? ` (${sh.mixedComponent})` : ''}`));
  const bp = p.bloodPressure.result;
  const possible = bp.phenotype === 'indeterminate' ? `; possible: ${bp.possible.map(phenotypeName).join(' | ')}` : '';
  lines.push(...kv('blood pressure', `${phenotypeName(bp.phenotype)} (hypotension ${tri(bp.hypotension)}, hypoperfusion ${tri(bp.hypoperfusion)}, vasoactive or MCS ${tri(bp.vasoactiveOrMCS)})${possible}`));
  const vp = p.ventricular.result;
  if (vp === null) {
    lines.push(...kv('ventricular', 'not determined: no PA-catheter measurement up to the assessment time'));
  } else {
    const values = `RAP ${num(vp.rap_mmHg)}, PCWP ${num(vp.pcwp_mmHg)} mmHg, RAP/PCWP ${num(vp.rapPcwp)}, PAPi ${num(vp.papi)}`;
    lines.push(...kv('ventricular', `${phenotypeName(vp.congestion)}, involvement ${vp.involvement}, at ${when(e, vp.t_min)} (${values})`));
    if (vp.rvMarkers.length > 0) lines.push(...kv('RV markers', vp.rvMarkers.join('; ')));
  }
  if (p.ventricularSeries.length > 1) {
    lines.push(...kv('over time', p.ventricularSeries.map((x) => `${rel(x.result.t_min)} ${phenotypeName(x.result.congestion)} / ${x.result.involvement}`).join('; ')));
  }
  if (detail) lines.push('  reasons:', ...reasonLines([...p.sharc.reasons, ...p.bloodPressure.reasons, ...p.ventricular.reasons]));
  lines.push(...missingLines(p.missing));
  return lines;
}

// ---------------------------------------------------------------- organ function

function sofaScore(c: SofaComponent): string {
  if (c.result === null) return `? (≤ ${c.upper})`;
  return c.result === c.upper ? String(c.result) : `${c.result}–${c.upper}`;
}

/** SOFA with its components, KDIGO AKI stage, lactate clearance and liver markers at the assessment time. */
export function formatOrgan(o: OrganFunction, v: ClinicalView, detail = true): string[] {
  const e = v.episode;
  const s = o.sofa;
  const lines = [`Organ function at ${when(e, o.t_min)}`];
  const total = s.complete ? `${s.total}` : `${s.total} proven, up to ${s.totalUpper} if every missing value were worst`;
  lines.push(...wrap(`SOFA (${s.version}, worst values ${rel(s.fromMin)} to ${rel(s.toMin)}): ${total}${s.onMCS ? '; MCS in place, cardiovascular item device-supported' : ''}`, 2));
  const comps: Array<[string, SofaComponent]> = [
    ['respiration', s.components.respiration],
    ['coagulation', s.components.coagulation],
    ['liver', s.components.liver],
    ['cardiovascular', s.components.cardiovascular],
    ['CNS', s.components.cns],
    ['renal', s.components.renal],
  ];
  for (const [name, c] of comps) {
    const basis = [...c.reasons.map((x) => x.text), ...(c.missing.length > 0 ? [`missing ${c.missing.join(', ')}`] : [])].join('; ');
    lines.push(...wrap(`${name.padEnd(15)} ${sofaScore(c).padEnd(8)} ${basis}`, 4, 29));
  }
  const a = o.aki;
  const akiStage = a.result === null ? 'not assessable' : `stage ${a.result}`;
  const akiParts = [`creatinine ${a.creatinineStage ?? '–'}`, `urine output ${a.urineStage ?? '–'}`, `KRT ${tri(a.krt)}`];
  lines.push(...kv('KDIGO AKI', `${akiStage} (${akiParts.join(', ')})${a.stageTime ? `; reached ${whenIso(e, a.stageTime)}` : ''}${a.missing.length ? `; missing ${a.missing.join(', ')}` : ''}`));
  if (detail) lines.push(...reasonLines(a.reasons, 4));
  const lac = o.lactate;
  if (!lac.l0) {
    lines.push(...kv('lactate clearance', 'no lactate at or after the anchor'));
  } else {
    const parts = lac.byHorizon.map((h) => {
      const c = h.clearance.result;
      if (c === null) return `${h.hours} h: no sample`;
      if (c.status === 'computed') return `${h.hours} h: ${formatNumber(c.clearancePct ?? 0, 4)}% (→ ${formatNumber(c.lt_mmol_L, 3)})`;
      if (c.status === 'not_applicable_low_l0') return `${h.hours} h: n/a, L0 < 2 (→ ${formatNumber(c.lt_mmol_L, 3)})`;
      return `${h.hours} h: specimen mismatch`;
    });
    lines.push(...kv('lactate clearance', `L0 ${formatNumber(lac.l0.value, 3)} mmol/L at ${rel(lac.l0.t_min)}; ${parts.join('; ')}`));
  }
  const l = o.liver;
  lines.push(...kv('liver', `worst ALT ${num(l.worstAlt_U_L)} U/L (> 200: ${tri(l.altAbove200)}), AST ${num(l.worstAst_U_L)} U/L; hypoxic hepatitis pattern ${tri(l.hypoxicHepatitisPattern)}`));
  lines.push(...missingLines(o.missing));
  return lines;
}

// ---------------------------------------------------------------- hemolysis

const DEVICE_KIND_NAMES: Readonly<Record<string, string>> = { iabp: 'IABP', microaxial: 'microaxial pump', va_ecmo: 'VA-ECMO', other: 'other device', none: 'no MCS' };

/** Hemolysis grade up to the assessment time with the markers behind it. */
export function formatHemolysis(r: RuleResult<HemolysisAssessment>, v: ClinicalView, toMin: number): string[] {
  const h = r.result;
  const grade = h.grade === null ? 'not gradable (no plasma free Hb and no usable LDH)' : `${h.grade}${h.awaitingConfirmation ? ' (one PFHb > 40 awaits a second sample)' : ''}`;
  const lines = [`Hemolysis up to ${when(v.episode, toMin)}: ${grade}`];
  lines.push(...kv('markers', `worst plasma free Hb ${num(h.worstPfhb_mg_dL)} mg/dL; LDH ${h.ldhFoldUln === null ? '–' : `${formatNumber(h.ldhFoldUln, 3)} × ULN`}; haptoglobin low ${tri(h.haptoglobinLow)}`));
  lines.push(...kv('device(s)', h.devices.map((d) => DEVICE_KIND_NAMES[d] ?? d).join(' + ')));
  if (h.consequences.length > 0) lines.push(...kv('consequences', h.consequences.join(', ')));
  lines.push(...reasonLines(r.reasons));
  lines.push(...missingLines(r.missing));
  return lines;
}

// ---------------------------------------------------------------- bleeding

function cls(x: { result: string; upperBound: string }): string {
  const a = humanize(x.result).replace(' ', '-');
  return x.result === x.upperBound ? a : `${a}..${humanize(x.upperBound).replace(' ', '-')}`;
}

const DEFINITIONS = [['barc', 'BARC'], ['gusto', 'GUSTO'], ['timi', 'TIMI'], ['isth', 'ISTH'], ['varc2', 'VARC-2']] as const;

function hbDropText(ev: AssessedBleedingEvent): string {
  const d = ev.classification.hbDrop.result;
  if (d.corrected_g_dL === undefined) return '–';
  return `${formatNumber(d.corrected_g_dL, 3)}${d.unitsKnown ? '' : '+?'}`;
}

function firstMajor(s: DefinitionSummary<string>): string {
  if (s.firstMajor) return rel(s.firstMajor.t_min);
  if (s.firstPossibleMajor) return `? (${rel(s.firstPossibleMajor.t_min)})`;
  return 'none';
}

/** Every bleeding event under every definition, then the patient summary per definition. */
export function formatBleeding(b: BleedingAssessment, v: ClinicalView, detail = true): string[] {
  const e = v.episode;
  const lines = [`Bleeding: every event of the record under every definition (rule set ${b.ruleSet.name} ${b.ruleSet.version})`];
  if (b.events.length === 0) {
    lines.push('  no bleeding event recorded: BARC 0, no bleeding under GUSTO, TIMI, ISTH and VARC-2');
    return lines;
  }
  lines.push(...wrap('class as recorded; "3a..4" = could be up to 4 if the unrecorded facts were the worst; Hb drop = transfusion-corrected, g/dL ("+?" = units unknown)', 2));
  const rows: Cell[][] = b.events.map((ev) => {
    const c = ev.classification;
    return [`#${ev.index}`, rel(ev.t_min), humanize(ev.facts.site), hbDropText(ev), cls(c.barc), cls(c.gusto), cls(c.timi), cls(c.isth), cls(c.varc2)];
  });
  lines.push(...textTable(['event', 'onset', 'site', 'Hb drop', 'BARC', 'GUSTO', 'TIMI', 'ISTH', 'VARC-2'], rows).split('\n').map((l) => `  ${l}`));
  for (const ev of b.events) {
    const c = ev.classification;
    const notes: string[] = [];
    if (c.hemodilutionSuspected) notes.push('Hb drop may partly be hemodilution: review');
    if (c.missing.length > 0) notes.push(`unrecorded facts that could raise a class: ${c.missing.join(', ')}`);
    if (detail || notes.length > 0) lines.push(...wrap(`#${ev.index} at ${whenIso(e, ev.time)}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`, 2));
    if (detail) {
      const tagged = c.reasons
        .filter((r) => r.criterion !== 'upper_bound')
        .map((r) => {
          const def = DEFINITIONS.find(([prefix]) => r.criterion.startsWith(`${prefix}_`));
          return def ? { ...r, text: `${def[1]} ${cls(c[def[0]])}: ${r.text}` } : r;
        });
      lines.push(...reasonLines(tagged, 4));
    }
  }
  const s = b.summary;
  const defs: Array<[string, DefinitionSummary<string>]> = [['BARC', s.barc], ['GUSTO', s.gusto], ['TIMI', s.timi], ['ISTH', s.isth], ['VARC-2', s.varc2]];
  const since = b.firstMajorSinceFirstDevice_min;
  const sinceRow: Cell[] = ['major, h after 1st device', ...(['barc', 'gusto', 'timi', 'isth', 'varc2'] as const).map((k) => (since[k] === null ? '–' : formatNumber((since[k] ?? 0) / 60, 3)))];
  lines.push(`  patient summary (${s.eventCount} event${s.eventCount === 1 ? '' : 's'}):`);
  lines.push(
    ...textTable(
      ['', ...defs.map(([n]) => n)],
      [
        ['worst class', ...defs.map(([, d]) => cls({ result: d.worst, upperBound: d.worstUpperBound }))],
        ['major from', ...defs.map(([, d]) => humanize(d.majorFrom))],
        ['first major bleed', ...defs.map(([, d]) => firstMajor(d))],
        sinceRow,
      ],
    )
      .split('\n')
      .map((l) => `    ${l}`),
  );
  return lines;
}

// ---------------------------------------------------------------- anticoagulation

/** The anticoagulation course (formatAnticoagulationSummary of src/clinical), wrapped to the terminal width. */
export function formatAnticoagulation(r: RuleResult<AnticoagulationAssessment>, v: ClinicalView): string[] {
  const [title, ...rest] = formatAnticoagulationSummary(r);
  return [`${title} up to ${when(v.episode, r.result.horizon_min)}`, ...rewrap(rest)];
}

// ---------------------------------------------------------------- patient summary

/** The `assess` patient summary: header and warnings, then every family. */
export function formatPatientSummary(a: PatientAssessment, v: ClinicalView): string {
  const sections = [
    formatHeader('Stratum clinical summary', v),
    formatScai(a.scai, v, false),
    formatPhenotype(a.phenotype, v, false),
    formatHemodynamics(a.hemodynamics, v, false),
    formatOrgan(a.organ, v, false),
    formatHemolysis(a.hemolysis, v, v.atMin),
    formatBleeding(a.bleeding, v, false),
    formatAnticoagulation(a.anticoagulation, v),
  ];
  return sections.map((s) => s.join('\n')).join('\n\n');
}
