// Narrow input types of the anticoagulation rules, satisfied by the parsed episode (engineer A's Episode) and by
// hand-built test data alike.
import type { TargetBand } from './protocol.js';

/** A timestamped lab value in its canonical unit (the code names the unit). */
export interface LabSample {
  /** ISO 8601 time as given, with offset. */
  readonly time: string;
  /** Minutes since the episode's anchor. */
  readonly t_min: number;
  readonly code: string;
  readonly value: number;
  /** 'gt': true value above the reported cap; 'lt': below the reported floor. */
  readonly censored?: 'gt' | 'lt';
}

/** A constant-rate systemic heparin infusion segment. A record without end runs until the next record starts. */
export interface HeparinInfusion {
  readonly time?: string;
  readonly t_start_min: number;
  readonly t_end_min?: number;
  readonly rate: number;
  /** 'IU/h' or 'IU/kg/h' (UCUM '[IU]/h', '[iU]/kg/h' and 'U/h' are accepted too). */
  readonly rateUnit: string;
  /** Records of one stream (route/line) replace each other; other streams run in parallel. */
  readonly stream?: string;
}

/** A purge-solution segment (Impella): heparin concentration × purge flow (reference 7.1). */
export interface PurgeSegment {
  readonly time?: string;
  readonly t_start_min: number;
  readonly t_end_min?: number;
  readonly heparin_IU_mL: number;
  readonly flow_mL_h: number;
  /** Purge records of one device replace each other (BiPella: one purge per pump). */
  readonly stream?: string;
}

/** A heparin bolus or flush (procedural, line). */
export interface HeparinBolus {
  readonly time?: string;
  readonly t_min: number;
  readonly dose_IU: number;
}

/** Everything the heparin-exposure rules read. */
export interface HeparinRecords {
  readonly infusions: readonly HeparinInfusion[];
  readonly purges: readonly PurgeSegment[];
  readonly boluses: readonly HeparinBolus[];
  readonly weight_kg?: number;
}

/** A protocol in force from t_min on (the episode's `anticoagulation` list). */
export interface ProtocolInForce {
  readonly time?: string;
  readonly t_min: number;
  readonly protocolId: string;
  /** Patient-specific band override(s), per test. */
  readonly target?: TargetBand | readonly TargetBand[];
}
