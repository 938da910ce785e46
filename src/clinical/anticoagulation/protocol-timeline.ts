// Which protocol, and which target bands, were in force at each instant (reference 7.2: "store the target band that
// was in force for every sample"). A record is in force from its time until the next record.
import type { ProtocolInForce } from './inputs.js';
import type { AnticoagProtocol, MonitoringTest, TargetBand } from './protocol.js';
import { findProtocol } from './protocols.js';
import type { BandSegment } from './ttr.js';
import type { Reason, RuleResult } from '../rule-result.js';

export interface ActiveProtocol {
  readonly from_min: number;
  /** Infinity for the last record. */
  readonly to_min: number;
  readonly protocolId: string;
  readonly time?: string;
  /** Undefined when the id names no bundled or site protocol. */
  readonly protocol: AnticoagProtocol | undefined;
  /** Protocol bands with the patient override applied (an override replaces the band of its test). */
  readonly bands: readonly TargetBand[];
}

/** Protocol bands with patient-specific overrides applied per test. */
export function effectiveBands(
  protocol: AnticoagProtocol | undefined,
  override: TargetBand | readonly TargetBand[] | undefined,
): TargetBand[] {
  const overrides: readonly TargetBand[] = override === undefined ? [] : Array.isArray(override) ? override : [override as TargetBand];
  const out = new Map<MonitoringTest, TargetBand>();
  for (const b of protocol?.targets ?? []) out.set(b.test, b);
  for (const b of overrides) out.set(b.test, b);
  return [...out.values()];
}

/** The protocol records as consecutive periods. Unknown protocol ids are reported in `missing`. */
export function protocolTimeline(
  records: readonly ProtocolInForce[],
  siteProtocols: readonly AnticoagProtocol[] = [],
): RuleResult<ActiveProtocol[]> {
  const sorted = records.slice().sort((a, b) => a.t_min - b.t_min);
  const periods: ActiveProtocol[] = [];
  const reasons: Reason[] = [];
  const missing: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    const protocol = findProtocol(r.protocolId, siteProtocols);
    if (!protocol) missing.push(`protocol definition '${r.protocolId}'`);
    const bands = effectiveBands(protocol, r.target);
    periods.push({
      from_min: r.t_min,
      to_min: sorted[i + 1]?.t_min ?? Infinity,
      protocolId: r.protocolId,
      time: r.time,
      protocol,
      bands,
    });
    reasons.push({
      criterion: 'protocol_in_force',
      text: `${r.protocolId} from ${r.time ?? `minute ${r.t_min}`}${r.target ? ' (patient-specific target)' : ''}: ${bands
        .map((b) => `${b.test} ${b.low}–${b.high}`)
        .join(', ')}`,
      value: r.protocolId,
      time: r.time,
    });
  }
  if (sorted.length === 0) missing.push('anticoagulation protocol in force');
  return { result: periods.filter((p) => p.to_min > p.from_min), reasons, missing };
}

/** The period in force at t_min, if any. */
export function activeProtocolAt(timeline: readonly ActiveProtocol[], t_min: number): ActiveProtocol | undefined {
  return timeline.find((p) => t_min >= p.from_min && t_min < p.to_min);
}

/** Band segments of one test over the timeline; periods without a band for that test have none. */
export function bandSegments(timeline: readonly ActiveProtocol[], test: MonitoringTest): BandSegment[] {
  return timeline.map((p) => ({ from_min: p.from_min, to_min: p.to_min, band: p.bands.find((b) => b.test === test) }));
}
