// The bedside entry forms and query parameters of the patient routes, as zod schemas. The request body is checked
// here for its shape only (which form, which fields); the records it carries are checked by the clinical engine's own
// parseEpisode after they are merged into the stored episode, so the API answers with exactly the messages the episode
// format gives (units, plausibility ranges, cross-field checks). The `...Doc` schemas describe the full record shapes
// (the episode format's own zod schemas) for the OpenAPI document.
import { z } from 'zod';
import {
  deviceInputSchema,
  deviceSettingSchema,
  eventInputSchema,
  infusionInputSchema,
  isoTimeSchema,
  observationInputSchema,
  purgeInputSchema,
} from '../clinical/episode/episode-schema.js';

/** A site code as the registry stores it (letters, digits, '.', '_', '-'). */
const siteCode = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a site code (letters, digits, ".", "_", "-"; at most 64)');

/** Page size of the patient board. */
export const BOARD_MAX_LIMIT = 200;
export const BOARD_DEFAULT_LIMIT = 50;

const intText = (min: number, max: number, name: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `a whole number (${name})`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** GET /api/patients?site=&limit=&offset=&status= */
export const boardQuerySchema = z.object({
  site: siteCode.optional(),
  limit: intText(1, BOARD_MAX_LIMIT, 'limit').default(BOARD_DEFAULT_LIMIT),
  offset: intText(0, 1_000_000_000, 'offset').default(0),
  /** 'active' (default): in-hospital patients (device in place, or no discharge and no death); 'all': every episode. */
  status: z.enum(['active', 'all']).default('active'),
});
export type BoardQuery = z.output<typeof boardQuerySchema>;

/** :episodeId is the registry's numeric episode id. */
export const episodeParamsSchema = z.object({
  episodeId: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'a registry episode id (a positive whole number)')
    .transform(Number)
    .pipe(z.number().int().max(2_147_483_647)),
});

/** Each record is checked by parseEpisode once merged; here only "an object". */
const record = z.record(z.string(), z.unknown());
const MAX_RECORDS = 100;

/** POST /api/patients/:episodeId/observations */
export const observationsBodySchema = z.object({ observations: z.array(record).min(1).max(MAX_RECORDS) });
export const observationsBodyDoc = z.object({ observations: z.array(observationInputSchema).min(1).max(MAX_RECORDS) });

/** POST /api/patients/:episodeId/events (bleeding with its facts, hemolysis, transfusion, ...). */
export const eventsBodySchema = z.object({ events: z.array(record).min(1).max(20) });
export const eventsBodyDoc = z.object({ events: z.array(eventInputSchema).min(1).max(20) });

/** An infusion already recorded, named by drug and start time (a rate change is a new record: episode format). */
const infusionRef = { drug: z.string().min(1), start: isoTimeSchema };

/** POST /api/patients/:episodeId/infusions: start, stop or change the rate of an infusion, or start/stop a purge. */
export const infusionsBodySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), infusion: record }),
  z.object({ action: z.literal('stop'), ...infusionRef, at: z.string(), note: z.string().optional() }),
  z.object({ action: z.literal('change'), ...infusionRef, at: z.string(), rate: z.number(), rateUnit: z.string().min(1).optional(), note: z.string().optional() }),
  z.object({ action: z.literal('start_purge'), purge: record }),
  z.object({ action: z.literal('stop_purge'), start: isoTimeSchema, deviceId: z.string().optional(), at: z.string() }),
]);
export type InfusionsBody = z.output<typeof infusionsBodySchema>;
export const infusionsBodyDoc = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), infusion: infusionInputSchema }),
  z.object({ action: z.literal('stop'), ...infusionRef, at: isoTimeSchema, note: z.string().optional() }),
  z.object({ action: z.literal('change'), ...infusionRef, at: isoTimeSchema, rate: z.number(), rateUnit: z.string().optional(), note: z.string().optional() }),
  z.object({ action: z.literal('start_purge'), purge: purgeInputSchema }),
  z.object({ action: z.literal('stop_purge'), start: isoTimeSchema, deviceId: z.string().optional(), at: isoTimeSchema }),
]);

const REMOVAL_REASONS = ['recovery', 'escalation', 'complication', 'death', 'transfer', 'other'] as const;

/** POST /api/patients/:episodeId/devices: insert, remove, or record a setting change (P-level, flow, ratio). */
export const devicesBodySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('insert'), device: record }),
  z.object({ action: z.literal('remove'), deviceId: z.string().min(1), at: z.string(), removalReason: z.enum(REMOVAL_REASONS).optional() }),
  z.object({ action: z.literal('change'), deviceId: z.string().min(1), setting: record }),
]);
export type DevicesBody = z.output<typeof devicesBodySchema>;
export const devicesBodyDoc = z.discriminatedUnion('action', [
  z.object({ action: z.literal('insert'), device: deviceInputSchema }),
  z.object({ action: z.literal('remove'), deviceId: z.string().min(1), at: isoTimeSchema, removalReason: z.enum(REMOVAL_REASONS).optional() }),
  z.object({ action: z.literal('change'), deviceId: z.string().min(1), setting: deviceSettingSchema }),
]);

/** JSON Schema (OpenAPI 3.0) of a zod schema, for a route's `schema` (documentation; zod validates). */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
