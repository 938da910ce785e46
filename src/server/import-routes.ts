// Imports over HTTP: POST /api/imports?format=fhir|redcap|csv with the raw file as the body (admin; a clinician for
// their own sites only). The same path as `stratum import`: the converter of the format, then runImport
// (src/registry/import/run-import.ts): validation by the clinical engine, one transaction with the audit trail, and
// strict: any rejected row means nothing is written and every rejection is returned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { packageRoot } from '../package-root.js';
import { decodeCsvBytes } from '../registry/csv/decode.js';
import { nativeCsvToRecords } from '../registry/csv/native-read.js';
import { fhirBundleToRecords } from '../registry/fhir/fhir-to-records.js';
import { runImport, type ImportUnit } from '../registry/import/run-import.js';
import { parseMappingJson } from '../registry/mapping-file.js';
import { ImportFileError, type ConversionResult, type Rejection } from '../registry/record.js';
import { parseRedcapDictionary, type RedcapDictionary } from '../registry/redcap/redcap-dictionary.js';
import { redcapExportToRecords } from '../registry/redcap/redcap-import.js';
import { checkRedcapMapping, redcapMappingSchema, type RedcapMapping } from '../registry/redcap/redcap-mapping.js';
import { requireRole } from './auth/auth-hooks.js';
import { jsonSchemaOf, PROBLEM_SCHEMA, problemResponses } from './openapi.js';
import type { Principal } from './principal.js';
import { parseInput, ProblemError } from './problem.js';
import type { ServerContext } from './server-context.js';

/** Largest upload accepted (413 problem above it). */
export const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
const SITE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const importQuerySchema = z
  .object({
    format: z.enum(['fhir', 'redcap', 'csv']),
    /** Site code for every record (fills a missing site; a record of another site is rejected by the converter). */
    site: z.string().regex(SITE_CODE, 'a site code (letters, digits, . _ -)').optional(),
  })
  .strict();
type ImportQuery = z.output<typeof importQuerySchema>;

const rejectionSchema = {
  type: 'object',
  properties: { file: { type: 'string' }, row: { type: 'integer', nullable: true }, field: { type: 'string' }, value: { type: 'string' }, reason: { type: 'string' } },
  required: ['file', 'row', 'field', 'value', 'reason'],
} as const;

const importResultSchema = {
  type: 'object',
  properties: {
    importId: { type: 'integer' },
    status: { type: 'string', enum: ['imported', 'already-imported'] },
    imported: { type: 'integer', description: 'episodes new or corrected' },
    inserted: { type: 'integer' },
    corrected: { type: 'integer' },
    unchanged: { type: 'integer' },
    rowsRead: { type: 'integer' },
    rejected: { type: 'array', items: rejectionSchema, maxItems: 0 },
  },
  required: ['importId', 'status', 'imported', 'inserted', 'corrected', 'unchanged', 'rowsRead', 'rejected'],
} as const;

const rejectedProblemSchema = {
  type: 'object',
  description: 'Problem details of a rejected import: every rejected row; nothing was written.',
  properties: {
    ...PROBLEM_SCHEMA.properties,
    rejected: { type: 'array', items: rejectionSchema },
  },
  required: ['type', 'title', 'status', 'detail'],
} as const;

/** The bundled REDCap project (examples/redcap), read once: the dictionary text, parsed dictionary and mapping. */
interface RedcapProject {
  readonly dictionaryText: string;
  readonly dictionary: RedcapDictionary;
  readonly mapping: RedcapMapping;
  readonly mappingFile: string;
}
let redcapProject: RedcapProject | null = null;
function bundledRedcapProject(): RedcapProject {
  if (redcapProject) return redcapProject;
  const dir = join(packageRoot(), 'examples', 'redcap');
  const dictPath = join(dir, 'stratum-cs-mcs-data-dictionary.csv');
  const mapPath = join(dir, 'stratum-cs-mcs-mapping.json');
  const dictionaryText = decodeCsvBytes(readFileSync(dictPath), dictPath);
  const dictionary = parseRedcapDictionary(dictionaryText, dictPath);
  const mapping = parseMappingJson(readFileSync(mapPath, 'utf8'), mapPath, redcapMappingSchema, 'a mapping as described in docs/redcap.md');
  checkRedcapMapping(mapping, dictionary, mapPath);
  redcapProject = { dictionaryText, dictionary, mapping, mappingFile: 'examples/redcap/stratum-cs-mcs-mapping.json' };
  return redcapProject;
}

/** The file name the upload is known by (rejections, the import's record, the audit trail). */
const UPLOAD_NAMES = { fhir: 'upload-bundle.json', redcap: 'upload-redcap-export.csv', csv: 'episodes.csv' } as const;

/** The import unit of one uploaded file, as `stratum import` builds it (src/cli/import-command.ts). */
function uploadUnit(query: ImportQuery, bytes: Uint8Array, now: Date): Omit<ImportUnit, 'convert'> & { convert(): ConversionResult } {
  const file = UPLOAD_NAMES[query.format];
  const site = query.site !== undefined ? { site: query.site } : {};
  const files = [{ name: file, bytes }];
  if (query.format === 'fhir') {
    return {
      kind: 'fhir',
      files,
      ...site,
      settings: {},
      convert() {
        const text = decodeCsvBytes(bytes, file);
        let bundle: unknown;
        try {
          bundle = JSON.parse(text);
        } catch (error) {
          throw new ImportFileError(file, 'JSON', (error as Error).message.slice(0, 200), 'a FHIR R4 Bundle in JSON (the body is not valid JSON: truncated?)');
        }
        return fhirBundleToRecords(bundle, { file, ...site, now });
      },
    };
  }
  if (query.format === 'redcap') {
    const project = bundledRedcapProject();
    return {
      kind: 'redcap',
      files,
      ...site,
      settings: { dictionary: project.dictionaryText, mapping: project.mapping },
      convert: () => redcapExportToRecords(decodeCsvBytes(bytes, file), project.dictionary, project.mapping, { file, ...site, now, mappingFile: project.mappingFile }),
    };
  }
  return {
    kind: 'csv',
    files,
    ...site,
    settings: { layout: 'stratum' },
    convert: () => nativeCsvToRecords([{ name: file, text: decodeCsvBytes(bytes, file) }], { ...site, now }),
  };
}

/** 403 unless a clinician's import touches only their own sites (admins import for any site). */
function checkSites(p: Principal, query: ImportQuery, converted: ConversionResult): void {
  if (p.role === 'admin') return;
  const wanted = new Set(converted.records.map((r) => r.site));
  if (query.site !== undefined) wanted.add(query.site);
  const foreign = [...wanted].filter((s) => !p.sites.includes(s)).sort();
  if (foreign.length > 0) {
    throw new ProblemError(403, 'Forbidden', `This import holds records of site ${foreign.join(', ')}; you may import for ${p.sites.length > 0 ? p.sites.join(', ') : 'no site'} only. Nothing was imported.`, 'site');
  }
}

const rejectionOut = (r: Rejection) => ({ file: r.file, row: r.row, field: r.field, value: r.value, reason: r.reason });

export function registerImportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // The body is the raw file, whatever its media type: the import's identity is the checksum of these bytes.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    // The body schema documents the upload (a file); the handler checks the bytes and zod the query, with our messages.
    scope.setValidatorCompiler(() => (data) => ({ value: data }));

    scope.post(
      '/api/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT_BYTES,
        preHandler: requireRole('admin', 'clinician'),
        schema: {
          summary: 'Import a FHIR R4 Bundle, a REDCap export or a native episodes.csv (all or nothing)',
          description:
            'The body is the file: application/json (FHIR Bundle), text/csv (REDCap flat export read with the bundled dictionary and mapping in examples/redcap, ' +
            'or the native Stratum episodes.csv). At most 50 MB. A clinician may import records of their own sites only (403 naming the site). ' +
            'Any rejected row means nothing is written: 400 with every rejection in `rejected`.',
          tags: ['imports'],
          querystring: jsonSchemaOf(importQuerySchema),
          consumes: ['application/json', 'application/fhir+json', 'text/csv'],
          body: { type: 'string', format: 'binary', description: 'The file to import' },
          response: { 200: importResultSchema, 400: rejectedProblemSchema, ...problemResponses(401, 403, 413) },
        },
      },
      async (request, reply) => {
        const p = request.principal;
        if (!p || (p.role !== 'admin' && p.role !== 'clinician')) throw new ProblemError(403, 'Forbidden', 'Imports need the role admin or clinician.');
        const query = parseInput(importQuerySchema, request.query, 'query');
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array();
        if (bytes.byteLength === 0) throw new ProblemError(400, 'Invalid request', 'The body is empty: send the file to import as the request body.', 'body');
        if (p.role === 'clinician' && query.site !== undefined && !p.sites.includes(query.site)) {
          throw new ProblemError(403, 'Forbidden', `You may not import for site ${query.site}; your sites: ${p.sites.join(', ') || 'none'}.`, 'site');
        }

        const now = ctx.now();
        const unit = uploadUnit(query, bytes, now);
        let converted: ConversionResult;
        try {
          converted = unit.convert();
        } catch (error) {
          if (!(error instanceof ImportFileError)) throw error;
          const rejected = [{ file: error.file, row: null, field: error.field, value: error.value, reason: error.expected }];
          return reply.code(400).type(PROBLEM_TYPE).send({ type: 'about:blank', title: 'Import rejected', status: 400, detail: `${error.message}. Nothing was imported.`, field: error.field, rejected });
        }
        checkSites(p, query, converted);

        const summary = await runImport(ctx.registry, { ...unit, convert: () => converted }, { actor: `user:${p.username}`, partial: false, now });
        if (summary.status === 'rejected') {
          const first = summary.rejections[0];
          return reply.code(400).type(PROBLEM_TYPE).send({
            type: 'about:blank',
            title: 'Import rejected',
            status: 400,
            detail: `${summary.rejections.length} problem(s) found; nothing was imported (all or nothing).${first ? ` First: ${first.field}: ${first.reason}` : ''}`,
            ...(first ? { field: first.field } : {}),
            rejected: summary.rejections.map(rejectionOut),
          });
        }
        return {
          importId: summary.importId ?? 0,
          status: summary.status,
          imported: summary.inserted + summary.corrected,
          inserted: summary.inserted,
          corrected: summary.corrected,
          unchanged: summary.unchanged,
          rowsRead: summary.rowsRead,
          rejected: [],
        };
      },
    );
  });
}
