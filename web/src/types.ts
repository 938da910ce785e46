// The shapes of the API answers the app reads (src/server/patient-board.ts, patient-view.ts, study-routes.ts,
// audit-routes.ts), written out here because the web app is compiled apart from the server. Only what is shown.

export type Role = 'admin' | 'clinician' | 'researcher' | 'auditor';

export interface Me {
  readonly username: string;
  readonly role: Role;
  readonly sites: readonly string[];
  readonly csrfToken: string | null;
}

export interface Band {
  readonly test: string;
  readonly low: number;
  readonly high: number;
  readonly [k: string]: unknown;
}

export interface BoardLab {
  readonly time: string;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
  readonly band: Band | null;
  readonly status: string | null;
}

export interface NextStep {
  readonly decisionSupport: true;
  readonly label: string;
  readonly test: string;
  readonly time: string;
  readonly action: string;
  readonly text: string;
  readonly recheckAt?: string;
  readonly cautions: readonly string[];
}

export interface BoardEntry {
  readonly episodeId: number;
  readonly site: string;
  readonly patient: { readonly key: string; readonly familyName?: string; readonly givenName?: string; readonly mrn?: string };
  readonly sourceEpisodeId: string;
  readonly active: boolean;
  readonly scai: { readonly time: string; readonly label: string } | null;
  readonly devices: readonly { readonly id: string; readonly kind: string; readonly label: string; readonly inPlace: boolean }[];
  readonly hoursOnSupport: number | null;
  readonly antiXa: BoardLab | null;
  readonly aptt: BoardLab | null;
  readonly lastPair: { readonly pattern: string; readonly concordant: boolean | 'unknown'; readonly interpretation: string } | null;
  readonly alerts: readonly { readonly code: string; readonly severity: 'high' | 'moderate'; readonly text: string }[];
}

export interface Board {
  readonly items: readonly BoardEntry[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface SeriesPoint {
  readonly time: string;
  readonly t_min: number;
  readonly value: number;
  readonly censored?: 'gt' | 'lt';
}

export interface LabPoint extends SeriesPoint {
  readonly band: Band | null;
  readonly status: string | null;
}

export interface PairSide {
  readonly value: number;
  readonly status: string;
  readonly band?: Band | null;
  readonly [k: string]: unknown;
}

export interface Pair {
  readonly time: string;
  readonly antiXa: PairSide;
  readonly aptt: PairSide;
  readonly pattern: string;
  readonly concordant: boolean | 'unknown';
  readonly interpretation: string;
  readonly cautions: readonly string[];
  readonly nextStep: NextStep | null;
}

export type Definition = 'barc' | 'timi' | 'gusto' | 'isth' | 'varc2';
export interface BleedingEvent {
  readonly index: number;
  readonly time: string;
  readonly site: string;
  readonly description?: string;
  readonly classes: Readonly<Record<Definition, { readonly class: string; readonly upperBound: string; readonly determinate: boolean; readonly major: boolean }>>;
  readonly missing: readonly string[];
}

export interface PatientView {
  readonly episodeId: number;
  readonly site: string;
  readonly version: number;
  readonly patient: { readonly sourceId?: string; readonly familyName?: string; readonly givenName?: string; readonly mrn?: string };
  readonly sourceEpisodeId: string;
  readonly anchor: { readonly kind: string; readonly time: string };
  readonly timeline: {
    readonly from_min: number;
    readonly to_min: number;
    readonly scai: { readonly blocks: readonly { readonly from_min: number; readonly to_min: number; readonly label: string }[]; readonly current: { readonly label: string; readonly time: string } | null };
    readonly map: readonly SeriesPoint[];
    readonly lactate: readonly SeriesPoint[];
    readonly vasoactive: readonly { readonly time: string; readonly t_min: number; readonly vis: number | null }[];
    readonly deviceChanges: readonly { readonly time: string; readonly t_min: number; readonly deviceId: string; readonly label: string; readonly change: string; readonly detail?: string }[];
  };
  readonly anticoagulation: {
    readonly decisionSupportLabel: string;
    readonly protocols: readonly { readonly protocolId: string; readonly name?: string; readonly from_min: number; readonly to_min: number | null; readonly bands: readonly Band[] }[];
    readonly antiXa: readonly LabPoint[];
    readonly aptt: readonly LabPoint[];
    readonly heparinInfusions: readonly { readonly start: string; readonly end?: string; readonly rate: number; readonly rateUnit: string }[];
    readonly purge: readonly { readonly deviceId?: string; readonly start: string; readonly end?: string; readonly heparin_IU_mL: number; readonly flow_mL_h: number; readonly heparin_IU_h: number }[];
    readonly pairs: readonly Pair[];
    readonly latestNextStep: NextStep | null;
  };
  readonly hemolysis: {
    readonly grade: string | null;
    readonly reasons: readonly string[];
    readonly plasmaFreeHb: readonly SeriesPoint[];
    readonly ldh: readonly SeriesPoint[];
  };
  readonly bleeding: { readonly events: readonly BleedingEvent[]; readonly worst: Readonly<Record<Definition, string>> };
}

export interface StudyEntry {
  readonly id: string;
  readonly origin: 'bundled' | 'saved';
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly spec: string;
}

export interface StudyRun {
  readonly id: string;
  readonly title: string;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly steps: readonly { readonly step: string; readonly at: string; readonly elapsed_s: number }[];
  readonly error: string | null;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entityKey: string;
  readonly reason: string | null;
}

export interface AuditPage {
  readonly items: readonly AuditRecord[];
  readonly limit: number;
  readonly nextBefore: number | null;
}

/** An account as GET /api/admin/users lists it (AccountView, src/server/auth/accounts.ts); never the hash. */
export interface Account {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly sites: readonly string[];
  readonly failedLogins: number;
  readonly lockedUntil: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface AccountList {
  readonly items: readonly Account[];
  readonly total: number;
  readonly nextCursor: string | null;
}
