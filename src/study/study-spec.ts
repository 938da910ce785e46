// The study specification: what a comparative study compares, in whom, adjusted for what, and how it checks
// itself. Read from YAML or JSON (src/study/load-study-spec.ts) and validated here with zod, so every problem
// is reported with its path. Documented with examples in docs/study-spec.md.
//
// Column names refer to the analysis table (`stratum dataset`, docs/dataset.md); a spec can name any column
// of an analysis-table CSV, and the pipeline checks that each one exists before it starts.
import { z } from 'zod';

const columnName = z.string().min(1, 'expected a column name');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** One inclusion or exclusion rule on one column; rows are kept (inclusion) or removed (exclusion) when it holds. */
export const criterionSchema = z
  .object({
    /** Shown in the attrition table, e.g. "SCAI stage C-E at time zero". */
    label: z.string().min(1),
    column: columnName,
    /** eq/ne/in/notIn compare text (numbers compare as numbers); gt..lte need a numeric column; present/missing test emptiness. */
    op: z.enum(['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'present', 'missing']),
    value: z.union([scalar, z.array(scalar).min(1)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsList = c.op === 'in' || c.op === 'notIn';
    const needsNone = c.op === 'present' || c.op === 'missing';
    if (needsNone && c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${c.op}' takes no value` });
    if (!needsNone && c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${c.op}' needs a value` });
    if (needsList && c.value !== undefined && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${c.op}' needs a list of values` });
    if (!needsList && Array.isArray(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${c.op}' takes one value, not a list` });
    if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && c.value !== undefined && typeof c.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op '${c.op}' needs a number` });
    }
  });
export type Criterion = z.infer<typeof criterionSchema>;

/** The five bleeding definitions the analysis table classifies every bleed under (docs/dataset.md). */
export const BLEEDING_DEFINITIONS = ['BARC 3-5', 'TIMI major', 'GUSTO moderate/severe', 'ISTH major', 'VARC-2 major'] as const;
export type BleedingDefinition = (typeof BLEEDING_DEFINITIONS)[number];

/** Flag and time columns of the major-bleeding outcome under each definition. */
export const BLEEDING_DEFINITION_COLUMNS: Readonly<Record<BleedingDefinition, { event: string; eventTime: string }>> = {
  'BARC 3-5': { event: 'barc_major', eventTime: 'barc_major_d' },
  'TIMI major': { event: 'timi_major', eventTime: 'timi_major_d' },
  'GUSTO moderate/severe': { event: 'gusto_major', eventTime: 'gusto_major_d' },
  'ISTH major': { event: 'isth_major', eventTime: 'isth_major_d' },
  'VARC-2 major': { event: 'varc2_major', eventTime: 'varc2_major_d' },
};

const outcomeBase = {
  /** Identifier used in results.json and file names: letters, digits, underscore. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected letters, digits and _ starting with a letter'),
  label: z.string().min(1),
  /** The outcome the study is about (exactly one outcome is primary). */
  primary: z.boolean().default(false),
  /** A negative-control outcome: the treatment should have no effect on it; a non-null estimate flags residual confounding. */
  negativeControl: z.boolean().default(false),
  /** Named bleeding definition; the sensitivity analysis then repeats the outcome under every definition. */
  bleedingDefinition: z.enum(BLEEDING_DEFINITIONS).optional(),
};

/**
 * A time-to-event outcome. The event time is `eventTime` for rows with the event; other rows are censored at
 * the follow-up end (`followUp` of the spec: death time, else last known alive). Times are days from time zero;
 * follow-up stops at the horizon.
 */
export const timeToEventOutcomeSchema = z
  .object({
    ...outcomeBase,
    type: z.literal('time_to_event'),
    /** 0/1 flag column of the event. */
    event: columnName,
    /** Days from time zero to the event (read where event = 1). */
    eventTime: columnName,
    horizon_d: z.number().positive(),
    /** A competing event (death for a bleeding outcome): Aalen-Johansen cumulative incidence and Fine-Gray. */
    competing: z.object({ label: z.string().min(1), event: columnName, eventTime: columnName }).strict().optional(),
  })
  .strict();

/** A binary outcome: a 0/1 flag column, or a category column with the levels that count as the outcome. */
export const binaryOutcomeSchema = z
  .object({
    ...outcomeBase,
    type: z.literal('binary'),
    column: columnName,
    /** Levels (or values) that count as the outcome; default: the value 1 of a flag column. */
    positive: z.array(scalar).min(1).optional(),
  })
  .strict();

export const outcomeSchema = z.discriminatedUnion('type', [timeToEventOutcomeSchema, binaryOutcomeSchema]);
export type TimeToEventOutcome = z.infer<typeof timeToEventOutcomeSchema>;
export type BinaryOutcome = z.infer<typeof binaryOutcomeSchema>;
export type Outcome = z.infer<typeof outcomeSchema>;

export const adjustmentSchema = z
  .object({
    /**
     * match: 1:k nearest-neighbour matching on the linear logit of the score (MatchIt order: largest score first,
     * without replacement), ATT; iptw: inverse-probability weights (estimand ate or att); overlap: overlap weights
     * (ATO); stratification: strata on the score's quantiles, weights to the estimand (MatchIt's subclass method).
     */
    method: z.enum(['match', 'iptw', 'overlap', 'stratification']),
    estimand: z.enum(['att', 'ate']).default('att'),
    /** Matching: controls per treated patient. */
    ratio: z.number().int().min(1).max(10).default(1),
    /** Matching: caliper in SD units of the linear logit (MatchIt std.caliper); null for none. */
    caliperSd: z.number().positive().nullable().default(0.2),
    /** Stratification: number of score quantile strata. */
    subclasses: z.number().int().min(2).max(50).default(5),
    /** Crump-style trimming of the score outside [trim, 1 - trim] before adjustment; 0 = none. */
    trim: z.number().min(0).max(0.2).default(0),
  })
  .strict();
export type Adjustment = z.infer<typeof adjustmentSchema>;

export const sensitivitySchema = z
  .object({
    /** E-values for each adjusted estimate (VanderWeele & Ding 2017). */
    eValues: z.boolean().default(true),
    /** Repeat bleeding outcomes under every bleeding definition side by side. */
    bleedingDefinitions: z.boolean().default(true),
    /** Matching caliper variants (SD of the linear logit). */
    calipers: z.array(z.number().positive()).default([]),
    /** Trimming variants (score outside [t, 1 - t] removed). */
    trims: z.array(z.number().min(0).max(0.2)).default([]),
    /** Other adjustment methods on the critique's covariates. */
    methods: z.array(z.enum(['match', 'iptw', 'overlap', 'stratification'])).default([]),
  })
  .strict();

export const stratifierSchema = z
  .object({
    column: columnName,
    label: z.string().min(1),
    /** Levels to report, in order; default all levels with patients in both groups. */
    levels: z.array(scalar).min(1).optional(),
  })
  .strict();
export type Stratifier = z.infer<typeof stratifierSchema>;

export const studySpecSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().optional(),
    /** The registry (stratum dataset's table, built on the fly) or an analysis-table CSV (path relative to the spec file). */
    source: z.union([z.object({ registry: z.literal(true) }).strict(), z.object({ csv: z.string().min(1) }).strict()]),
    /** Time zero, stated for the report; the analysis table already measures every time from it. */
    timeZero: z.object({ definition: z.string().min(1), column: columnName.default('time_zero_source') }).strict(),
    treatment: z
      .object({
        column: columnName,
        target: scalar,
        comparator: scalar,
        targetLabel: z.string().min(1),
        comparatorLabel: z.string().min(1),
      })
      .strict(),
    inclusion: z.array(criterionSchema).default([]),
    exclusion: z.array(criterionSchema).default([]),
    /** Where follow-up ends without the event: the death time when the patient died, else the last-known-alive time. */
    followUp: z.object({ death: columnName.default('death'), deathTime: columnName.default('death_d'), lastKnownAlive: columnName.default('last_known_alive_d') }).strict().default({ death: 'death', deathTime: 'death_d', lastKnownAlive: 'last_known_alive_d' }),
    outcomes: z.array(outcomeSchema).min(1),
    /**
     * Covariates of the propensity model, in three sets for the side-by-side comparison: `published` = as the
     * device-vs-device claims studies adjusted (no shock stage, no management), `critique` = shock stage at time
     * zero, arrest with coma, phenotype, organ function, anticoagulation protocol and quality (the primary analysis).
     */
    covariates: z.object({ published: z.array(columnName).min(1), critique: z.array(columnName).min(1) }).strict(),
    /** indicator: missing categorical = its own level, missing numeric = mean + a missing flag; complete-case: drop the row. */
    missingCovariates: z.enum(['indicator', 'complete-case']).default('indicator'),
    adjustment: adjustmentSchema,
    strata: z.array(stratifierSchema).default([]),
    sensitivity: sensitivitySchema.default({ eValues: true, bleedingDefinitions: true, calipers: [], trims: [], methods: [] }),
    /** Seed for anything random (ties in matching are broken by data order; the seed is kept for future resampling). */
    seed: z.number().int().default(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const primaries = s.outcomes.filter((o) => o.primary).length;
    if (primaries !== 1) ctx.addIssue({ code: 'custom', path: ['outcomes'], message: `exactly one outcome must be primary: true (found ${primaries})` });
    const names = new Set<string>();
    s.outcomes.forEach((o, i) => {
      if (names.has(o.name)) ctx.addIssue({ code: 'custom', path: ['outcomes', i, 'name'], message: `duplicate outcome name '${o.name}'` });
      names.add(o.name);
    });
    if (String(s.treatment.target) === String(s.treatment.comparator)) ctx.addIssue({ code: 'custom', path: ['treatment', 'comparator'], message: 'target and comparator must differ' });
  });

export type StudySpecInput = z.input<typeof studySpecSchema>;
export type StudySpec = z.output<typeof studySpecSchema>;
