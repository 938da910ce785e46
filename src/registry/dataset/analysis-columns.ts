// The columns of the one-row-per-patient analysis table, in their fixed order: name, type, unit and definition
// (with the rule behind it). docs/dataset.md is the long form of this list. Times are day offsets from time zero;
// an empty cell means the engine could not compute the value (the *_missing columns say why where useful).

/** 'flag' is 0/1; 'category' has the listed levels; empty cells are missing. */
export type ColumnType = 'string' | 'category' | 'integer' | 'number' | 'flag';

export interface AnalysisColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** UCUM-style unit, '' when the value has none. */
  readonly unit: string;
  readonly description: string;
  readonly levels?: readonly string[];
}

const SCAI = ['A', 'B', 'C', 'D', 'E'] as const;
const BARC = ['0', '1', '2', '3a', '3b', '3c', '4', '5a', '5b'] as const;
const GUSTO = ['none', 'mild', 'moderate', 'severe'] as const;
const TIMI = ['none', 'minimal', 'minor', 'major', 'fatal'] as const;
const ISTH = ['none', 'minor', 'crnm', 'major'] as const;
const VARC2 = ['none', 'minor', 'major', 'life_threatening'] as const;
const GROUPS = ['none', 'iabp', 'microaxial', 'ecmo', 'other', 'combination'] as const;

export const ANALYSIS_COLUMNS = [
  // ---------------------------------------------------------------- identification and time zero
  { name: 'site', type: 'string', unit: '', description: 'Site code of the record.' },
  { name: 'patient_key', type: 'string', unit: '', description: "The record's patient id (the pseudonym in a de-identified registry)." },
  { name: 'episode_id', type: 'string', unit: '', description: 'Episode id (the pseudonym in a de-identified registry).' },
  {
    name: 'time_zero_source', type: 'category', unit: '',
    levels: ['device_start', 'shock_onset', 'anchor_admission', 'anchor_cicu_admission', 'anchor_index_event', 'anchor_device_start'],
    description: 'What time zero is: the insertion of the first MCS device; else times.shockOnset (or a shock_onset anchor); else the episode anchor of the named kind.',
  },
  { name: 'time_zero_from_anchor_d', type: 'number', unit: 'd', description: 'Time zero minus the episode anchor, days (negative = before the anchor).' },
  // ---------------------------------------------------------------- demographics
  { name: 'age_years', type: 'number', unit: 'a', description: 'Age as recorded; 90 and over are written as 90 (HIPAA Safe Harbor "90 or older").' },
  { name: 'age_90_or_older', type: 'flag', unit: '', description: '1 when the recorded age is 90 or over (age_years then reads 90).' },
  { name: 'sex', type: 'category', unit: '', levels: ['female', 'male', 'other'], description: "Sex as recorded; empty when 'unknown'." },
  {
    name: 'etiology', type: 'category', unit: '', levels: ['AMI', 'HF-denovo', 'HF-acute-on-chronic', 'secondary', 'post-cardiotomy'],
    description: 'Recorded etiology (clinical.etiology, SHARC categories, Waksman et al., Circulation 2023).',
  },
  // ---------------------------------------------------------------- devices
  {
    name: 'device_group_t0', type: 'category', unit: '', levels: GROUPS,
    description: 'Device group at time zero: the kinds inserted within 24 h of time zero; two or more different kinds = combination; none for unsupported patients.',
  },
  { name: 'devices_t0', type: 'string', unit: '', description: "Device kinds inserted within 24 h of time zero, '+'-joined (iabp, microaxial, va_ecmo, other)." },
  { name: 'device_group_ever', type: 'category', unit: '', levels: GROUPS, description: 'Device group over the whole episode (two or more different kinds ever = combination).' },
  { name: 'devices_ever', type: 'string', unit: '', description: "Every device kind of the episode, '+'-joined." },
  { name: 'device_t0', type: 'string', unit: '', description: "Kind of the device that starts time zero ('+'-joined when several were inserted at that minute)." },
  { name: 'device_t0_selection_reasons', type: 'string', unit: '', description: "Recorded selection reasons of the time-zero device(s), ';'-joined in the format's order (SELECTION_REASONS)." },
  { name: 'device_t0_selection_reasons_missing', type: 'string', unit: '', description: "'no device' or 'none recorded' when device_t0_selection_reasons is empty." },
  // ---------------------------------------------------------------- SCAI at time zero (assessScai, SCAI 2022 rule set)
  { name: 'scai_stage_t0', type: 'category', unit: '', levels: SCAI, description: 'SCAI SHOCK stage at time zero from the data up to then (assessScai atMin = time zero, SCAI 2022; devices count only when inserted before time zero): the stage proven by true criteria (= lower bound).' },
  { name: 'scai_stage_t0_upper', type: 'category', unit: '', levels: SCAI, description: 'Highest stage still possible at time zero if every unknown core criterion were met.' },
  { name: 'scai_label_t0', type: 'string', unit: '', description: "The engine's label at time zero, e.g. 'C', 'B..E', 'D-A', 'C-A?' (-A: cardiac arrest with coma)." },
  { name: 'scai_hypotension_t0', type: 'flag', unit: '', description: 'Building block "hypotension or tachycardia" at time zero (Jentzer 2019); empty when unknown.' },
  { name: 'scai_hypoperfusion_t0', type: 'flag', unit: '', description: 'Building block "hypoperfusion" at time zero; empty when unknown.' },
  { name: 'scai_deterioration_t0', type: 'flag', unit: '', description: 'Building block "deterioration" at time zero; empty when unknown.' },
  { name: 'scai_refractory_t0', type: 'flag', unit: '', description: 'Building block "refractory shock" at time zero; empty when unknown.' },
  { name: 'sbp_min_t0_mmHg', type: 'number', unit: 'mm[Hg]', description: 'Lowest SBP in the SCAI status window (60 min up to time zero).' },
  { name: 'map_min_t0_mmHg', type: 'number', unit: 'mm[Hg]', description: 'Lowest MAP in the SCAI status window (measured, else DBP + (SBP - DBP)/3 at the same time).' },
  { name: 'lactate_t0_mmol_L', type: 'number', unit: 'mmol/L', description: 'Latest lactate in the SCAI lab window (6 h up to time zero).' },
  { name: 'vasoactive_count_t0', type: 'integer', unit: '1', description: 'Number of different vasoactives running at time zero (vasoactiveStateAt).' },
  { name: 'vis_t0', type: 'number', unit: '1', description: 'Vasoactive-inotropic score at time zero (Gaies 2010, adult variant with phenylephrine); empty when not computable (e.g. vasopressin without weight).' },
  { name: 'nee_t0_ug_kg_min', type: 'number', unit: 'ug/kg/min', description: 'Norepinephrine-equivalent dose at time zero (Jentzer/Mayo equivalences).' },
  { name: 'scai_t0_missing', type: 'string', unit: '', description: "Inputs whose absence left a core SCAI criterion unknown at time zero, ';'-joined." },
  { name: 'scai_max_24h', type: 'category', unit: '', levels: SCAI, description: 'Maximum stage (lower bound) over the 24 h from time zero, in 4-h blocks (scaiTrajectory, blockMin 240 as in the serial staging study).' },
  { name: 'scai_max_24h_upper', type: 'category', unit: '', levels: SCAI, description: 'Maximum of the upper bounds over the same blocks.' },
  { name: 'scai_mean_24h', type: 'number', unit: '1', description: 'Time-weighted mean stage over the 24 h from time zero, A = 1 ... E = 5 (lower bounds of the 4-h blocks).' },
  { name: 'scai_mean_24h_upper', type: 'number', unit: '1', description: 'Time-weighted mean of the upper bounds.' },
  { name: 'scai_shock_hours_24h', type: 'number', unit: 'h', description: 'Hours in stage C-E (lower bound) over the 24 h from time zero.' },
  // ---------------------------------------------------------------- cardiac arrest
  { name: 'arrest_t0', type: 'flag', unit: '', description: 'A cardiac arrest recorded at or before time zero (the event list is the complete record).' },
  { name: 'arrest_coma_t0', type: 'flag', unit: '', description: 'SCAI 2022 cardiac-arrest modifier at time zero: an arrest with coma (comaAfterArrest, or GCS after < 9); empty when an arrest lacks coma information.' },
  { name: 'arrest_24h', type: 'flag', unit: '', description: 'A cardiac arrest recorded up to 24 h after time zero.' },
  { name: 'arrest_coma_24h', type: 'flag', unit: '', description: 'SCAI 2022 cardiac-arrest modifier at the end of the 24-h trajectory; empty when unknown.' },
  // ---------------------------------------------------------------- phenotype
  { name: 'sharc_category', type: 'category', unit: '', levels: ['AMI-CS', 'HF-CS', 'secondary-CS', 'post-cardiotomy-CS'], description: 'SHARC category (classifySharcCategory); empty when no etiology is recorded.' },
  { name: 'mixed_shock', type: 'flag', unit: '', description: 'Mixed (cardiogenic plus other) shock as recorded; empty when not recorded.' },
  {
    name: 'bp_phenotype_t0', type: 'category', unit: '', levels: ['hypotensive_cs', 'normotensive_cs', 'isolated_hypotension', 'no_shock_criteria'],
    description: 'Normotensive vs hypotensive CS at time zero (classifyBloodPressurePhenotype, 6-h look-back; devices count only when inserted before time zero); empty when indeterminate.',
  },
  { name: 'normotensive_cs_t0', type: 'flag', unit: '', description: '1 when bp_phenotype_t0 is normotensive_cs; 0 when normotensive CS is not among the phenotypes still possible; else empty.' },
  { name: 'bp_phenotype_t0_missing', type: 'string', unit: '', description: "Inputs the blood-pressure phenotype lacked, ';'-joined." },
  { name: 'ventricular_phenotype', type: 'category', unit: '', levels: ['LV', 'RV', 'biventricular', 'none'], description: 'LV / RV / biventricular involvement (classifyVentricularPhenotype, Thayer 2020) at the latest PA-catheter set up to 24 h after time zero; empty when indeterminate or no PA catheter.' },
  { name: 'ventricular_phenotype_d', type: 'number', unit: 'd', description: 'Time of that PA-catheter set, days from time zero.' },
  { name: 'ventricular_phenotype_missing', type: 'string', unit: '', description: "Why ventricular_phenotype is empty: 'no PA-catheter measurement' or the inputs lacked." },
  // ---------------------------------------------------------------- organ function
  { name: 'sofa_t0', type: 'integer', unit: '1', description: 'SOFA over the 24 h up to time zero (assessSofa, Vincent 1996): sum of the proven component scores (unknown components count 0).' },
  { name: 'sofa_t0_upper', type: 'integer', unit: '1', description: 'Highest SOFA still possible (unknown components at their maximum); equals sofa_t0 when complete.' },
  { name: 'sofa_respiration_t0', type: 'integer', unit: '1', description: 'SOFA respiration item at time zero; empty when unknown.' },
  { name: 'sofa_coagulation_t0', type: 'integer', unit: '1', description: 'SOFA coagulation item; empty when unknown.' },
  { name: 'sofa_liver_t0', type: 'integer', unit: '1', description: 'SOFA liver item; empty when unknown.' },
  { name: 'sofa_cardiovascular_t0', type: 'integer', unit: '1', description: 'SOFA cardiovascular item; empty when unknown.' },
  { name: 'sofa_cns_t0', type: 'integer', unit: '1', description: 'SOFA CNS item; empty when unknown.' },
  { name: 'sofa_renal_t0', type: 'integer', unit: '1', description: 'SOFA renal item; empty when unknown.' },
  { name: 'sofa_t0_missing', type: 'string', unit: '', description: "Inputs the SOFA components lacked, ';'-joined." },
  { name: 'creatinine_t0_mg_dL', type: 'number', unit: 'mg/dL', description: 'Latest creatinine in the 24 h up to time zero.' },
  { name: 'aki_stage_7d', type: 'integer', unit: '1', description: 'Highest KDIGO AKI stage (0-3) reached up to 7 days after time zero (assessAki, KDIGO 2012); empty when neither creatinine nor urine output can be judged.' },
  { name: 'aki_7d', type: 'flag', unit: '', description: 'aki_stage_7d >= 1.' },
  { name: 'aki_stage_7d_d', type: 'number', unit: 'd', description: 'Time the highest stage was first reached, days from time zero (negative = already before time zero).' },
  { name: 'aki_missing', type: 'string', unit: '', description: "Inputs the AKI staging lacked, ';'-joined." },
  { name: 'lactate_clearance_6h_pct', type: 'number', unit: '%', description: 'Lactate clearance (L0 - Lt)/L0 x 100 at 6 h (assessLactateClearance; L0 = first lactate at or after time zero, Lt within 90 min of L0 + 6 h); empty when not computable.' },
  { name: 'lactate_clearance_8h_pct', type: 'number', unit: '%', description: 'Lactate clearance at 8 h.' },
  { name: 'lactate_clearance_24h_pct', type: 'number', unit: '%', description: 'Lactate clearance at 24 h.' },
  { name: 'lactate_clearance_missing', type: 'string', unit: '', description: "Why a clearance is empty, per horizon, e.g. '6h: not_applicable_low_l0' (L0 < 2 mmol/L) or '24h: lactate_mmol_L_at_24h'." },
  // ---------------------------------------------------------------- anticoagulation (assessAnticoagulation, whole record)
  { name: 'anticoag_protocols', type: 'string', unit: '', description: "Protocol ids in force over the episode, ';'-joined in order of first use." },
  { name: 'anticoag_drugs', type: 'string', unit: '', description: "Anticoagulant drug(s) of those protocols (ufh, bivalirudin, argatroban), ';'-joined." },
  { name: 'anticoag_tests', type: 'string', unit: '', description: "Monitoring tests of those protocols (titrated test and tests with a target band), ';'-joined." },
  { name: 'anticoag_target_bands', type: 'string', unit: '', description: "Target bands in force (patient overrides applied), e.g. 'anti_xa_IU_mL 0.31-0.5;aptt_s 56-80'." },
  { name: 'ttr_anti_xa_pct', type: 'number', unit: '%', description: 'Time in therapeutic range of anti-Xa (Rosendaal 1993 linear interpolation, gaps > 24 h not interpolated); empty without anti-Xa or band.' },
  { name: 'ttr_aptt_pct', type: 'number', unit: '%', description: 'Time in therapeutic range of aPTT.' },
  { name: 'ttr_act_pct', type: 'number', unit: '%', description: 'Time in therapeutic range of ACT.' },
  { name: 'antixa_aptt_pairs', type: 'integer', unit: '1', description: 'Classifiable anti-Xa/aPTT pairs (drawn within the pairing window).' },
  { name: 'discordant_pair_share', type: 'number', unit: '1', description: 'Discordant pairs / classifiable pairs (0-1); empty without pairs.' },
  { name: 'heparin_resistance', type: 'flag', unit: '', description: 'Low anti-Xa after > 35,000 IU heparin in 24 h incl. purge (flagHeparinResistance); empty when unknown.' },
  { name: 'anticoag_missing', type: 'string', unit: '', description: "'no protocol recorded' or the protocol ids without a definition." },
  // ---------------------------------------------------------------- hemolysis
  { name: 'hemolysis_grade', type: 'category', unit: '', levels: ['none', 'biochemical', 'significant', 'severe'], description: 'Worst hemolysis grade from time zero to the end of the record (gradeHemolysis); empty when neither PFHb nor a usable LDH was measured.' },
  { name: 'hemolysis_missing', type: 'string', unit: '', description: "Inputs the hemolysis grade lacked, ';'-joined." },
  // ---------------------------------------------------------------- bleeding (assessBleeding, events at or after time zero)
  { name: 'bleeding_events', type: 'integer', unit: '1', description: 'Bleeding events at or after time zero.' },
  { name: 'barc_worst', type: 'category', unit: '', levels: BARC, description: 'Worst BARC type (Mehran 2011) of those events; 0 without events.' },
  { name: 'barc_major', type: 'flag', unit: '', description: 'A BARC >= 3a bleed; empty when an event could be major if unrecorded facts were the worst.' },
  { name: 'barc_major_d', type: 'number', unit: 'd', description: 'Days from time zero to the first BARC >= 3a bleed.' },
  { name: 'gusto_worst', type: 'category', unit: '', levels: GUSTO, description: 'Worst GUSTO class (GUSTO 1993).' },
  { name: 'gusto_major', type: 'flag', unit: '', description: 'A GUSTO moderate or severe bleed; empty when undetermined.' },
  { name: 'gusto_major_d', type: 'number', unit: 'd', description: 'Days from time zero to the first GUSTO moderate/severe bleed.' },
  { name: 'timi_worst', type: 'category', unit: '', levels: TIMI, description: 'Worst TIMI class.' },
  { name: 'timi_major', type: 'flag', unit: '', description: 'A TIMI major bleed; empty when undetermined.' },
  { name: 'timi_major_d', type: 'number', unit: 'd', description: 'Days from time zero to the first TIMI major bleed.' },
  { name: 'isth_worst', type: 'category', unit: '', levels: ISTH, description: 'Worst ISTH class (Schulman 2005; CRNM Kaatz 2015).' },
  { name: 'isth_major', type: 'flag', unit: '', description: 'An ISTH major bleed; empty when undetermined.' },
  { name: 'isth_major_d', type: 'number', unit: 'd', description: 'Days from time zero to the first ISTH major bleed.' },
  { name: 'varc2_worst', type: 'category', unit: '', levels: VARC2, description: 'Worst VARC-2 class (Kappetein 2012).' },
  { name: 'varc2_major', type: 'flag', unit: '', description: 'A VARC-2 major or life-threatening bleed; empty when undetermined.' },
  { name: 'varc2_major_d', type: 'number', unit: 'd', description: 'Days from time zero to the first VARC-2 major bleed.' },
  { name: 'bleeding_missing', type: 'string', unit: '', description: "Bleeding facts not recorded that the classifications needed, ';'-joined." },
  // ---------------------------------------------------------------- outcomes
  { name: 'stroke', type: 'flag', unit: '', description: 'A stroke event at or after time zero.' },
  { name: 'stroke_d', type: 'number', unit: 'd', description: 'Days from time zero to the first stroke.' },
  { name: 'limb_ischemia', type: 'flag', unit: '', description: 'A limb-ischemia event at or after time zero.' },
  { name: 'limb_ischemia_d', type: 'number', unit: 'd', description: 'Days from time zero to the first limb ischemia.' },
  { name: 'death', type: 'flag', unit: '', description: 'A death event recorded (at any time).' },
  { name: 'death_d', type: 'number', unit: 'd', description: 'Days from time zero to death.' },
  { name: 'last_known_alive_d', type: 'number', unit: 'd', description: 'Days from time zero to the latest of followUp.lastKnownAlive, times.discharge and the last record of the episode (empty when the patient died).' },
  { name: 'time_1y_d', type: 'number', unit: 'd', description: 'Follow-up time for 1-year survival: days to death or to last known alive, capped at 365.' },
  { name: 'death_1y', type: 'flag', unit: '', description: '1 when death occurred within 365 days of time zero (then time_1y_d = death_d); 0 = censored at time_1y_d.' },
] as const satisfies readonly AnalysisColumn[];

type Column = (typeof ANALYSIS_COLUMNS)[number];
export type AnalysisColumnName = Column['name'];

/** The cell type of a column type: flags 0/1, numbers, strings; null = empty (not computable). */
export type CellOf<T extends ColumnType> = T extends 'flag' ? 0 | 1 | null : T extends 'integer' | 'number' ? number | null : string | null;

/** One row of the analysis table: every column, typed by its column type. */
export type AnalysisRow = { readonly [C in Column as C['name']]: CellOf<C['type']> };

/** Column names in table order. */
export const ANALYSIS_COLUMN_NAMES: readonly AnalysisColumnName[] = ANALYSIS_COLUMNS.map((c) => c.name);
