// The FHIR R4 resources Stratum writes and reads, typed from the specification (hl7.org/fhir/R4) but limited to the
// elements Stratum uses. Every element name, cardinality and value type follows R4; elements Stratum never touches
// are left out rather than typed loosely.

export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

export interface CodeableConcept {
  readonly coding?: readonly Coding[];
  readonly text?: string;
}

export interface Quantity {
  readonly value?: number;
  readonly comparator?: '<' | '<=' | '>=' | '>';
  readonly unit?: string;
  readonly system?: string;
  readonly code?: string;
}

export interface Identifier {
  readonly system?: string;
  readonly value?: string;
  readonly type?: CodeableConcept;
}

export interface Reference {
  readonly reference?: string;
  readonly identifier?: Identifier;
  readonly display?: string;
}

export interface Period {
  readonly start?: string;
  readonly end?: string;
}

export interface Annotation {
  readonly text: string;
}

/** An extension: either a value[x] or nested extensions (a complex extension), never both. */
export interface Extension {
  readonly url: string;
  readonly valueBoolean?: boolean;
  readonly valueInteger?: number;
  readonly valueDecimal?: number;
  readonly valueString?: string;
  readonly valueCode?: string;
  readonly valueDateTime?: string;
  readonly valueQuantity?: Quantity;
  readonly extension?: readonly Extension[];
}

interface ResourceBase {
  readonly id?: string;
  readonly extension?: readonly Extension[];
}

export interface HumanName {
  readonly family?: string;
  readonly given?: readonly string[];
}

export interface Address {
  readonly postalCode?: string;
}

export interface Patient extends ResourceBase {
  readonly resourceType: 'Patient';
  readonly identifier?: readonly Identifier[];
  readonly name?: readonly HumanName[];
  readonly gender?: 'male' | 'female' | 'other' | 'unknown';
  readonly birthDate?: string;
  readonly deceasedDateTime?: string;
  readonly deceasedBoolean?: boolean;
  readonly address?: readonly Address[];
}

export interface Encounter extends ResourceBase {
  readonly resourceType: 'Encounter';
  readonly identifier?: readonly Identifier[];
  readonly status: 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled' | 'entered-in-error' | 'unknown';
  readonly class: Coding;
  readonly subject?: Reference;
  readonly period?: Period;
  readonly reasonCode?: readonly CodeableConcept[];
  readonly serviceProvider?: Reference;
}

export interface ObservationComponent {
  readonly code: CodeableConcept;
  readonly valueQuantity?: Quantity;
  readonly valueInteger?: number;
  readonly valueBoolean?: boolean;
}

export interface Observation extends ResourceBase {
  readonly resourceType: 'Observation';
  readonly status: 'registered' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'cancelled' | 'entered-in-error' | 'unknown';
  readonly category?: readonly CodeableConcept[];
  readonly code: CodeableConcept;
  readonly subject?: Reference;
  readonly encounter?: Reference;
  readonly effectiveDateTime?: string;
  readonly effectivePeriod?: Period;
  readonly valueQuantity?: Quantity;
  readonly method?: CodeableConcept;
  readonly device?: Reference;
  readonly note?: readonly Annotation[];
  readonly component?: readonly ObservationComponent[];
}

export interface Dosage {
  readonly route?: CodeableConcept;
  readonly dose?: Quantity;
  readonly rateQuantity?: Quantity;
}

export interface MedicationAdministration extends ResourceBase {
  readonly resourceType: 'MedicationAdministration';
  readonly status: 'in-progress' | 'not-done' | 'on-hold' | 'completed' | 'entered-in-error' | 'stopped' | 'unknown';
  readonly medicationCodeableConcept: CodeableConcept;
  readonly subject: Reference;
  readonly context?: Reference;
  readonly effectiveDateTime?: string;
  readonly effectivePeriod?: Period;
  readonly device?: readonly Reference[];
  readonly note?: readonly Annotation[];
  readonly dosage?: Dosage;
}

export interface DeviceName {
  readonly name: string;
  readonly type: 'udi-label-name' | 'user-friendly-name' | 'patient-reported-name' | 'manufacturer-name' | 'model-name' | 'other';
}

export interface Device extends ResourceBase {
  readonly resourceType: 'Device';
  readonly identifier?: readonly Identifier[];
  readonly status?: 'active' | 'inactive' | 'entered-in-error' | 'unknown';
  readonly deviceName?: readonly DeviceName[];
  readonly type?: CodeableConcept;
  readonly patient?: Reference;
}

export interface ProcedureFocalDevice {
  readonly manipulated: Reference;
}

export interface Procedure extends ResourceBase {
  readonly resourceType: 'Procedure';
  readonly status: 'preparation' | 'in-progress' | 'not-done' | 'on-hold' | 'stopped' | 'completed' | 'entered-in-error' | 'unknown';
  readonly code?: CodeableConcept;
  readonly subject: Reference;
  readonly encounter?: Reference;
  readonly performedDateTime?: string;
  readonly performedPeriod?: Period;
  readonly reasonCode?: readonly CodeableConcept[];
  readonly reasonReference?: readonly Reference[];
  readonly bodySite?: readonly CodeableConcept[];
  readonly note?: readonly Annotation[];
  readonly focalDevice?: readonly ProcedureFocalDevice[];
  readonly usedCode?: readonly CodeableConcept[];
}

export interface Condition extends ResourceBase {
  readonly resourceType: 'Condition';
  readonly code?: CodeableConcept;
  readonly subject: Reference;
  readonly encounter?: Reference;
  readonly onsetDateTime?: string;
  readonly note?: readonly Annotation[];
}

/** The resources Stratum maps; the importer rejects any other resourceType. */
export type FhirResource = Patient | Encounter | Observation | MedicationAdministration | Device | Procedure | Condition;
export type FhirResourceType = FhirResource['resourceType'];

export const ACCEPTED_RESOURCE_TYPES: readonly FhirResourceType[] = [
  'Patient',
  'Encounter',
  'Observation',
  'MedicationAdministration',
  'Procedure',
  'Device',
  'Condition',
];

export interface BundleEntry {
  readonly fullUrl?: string;
  readonly resource: FhirResource;
  readonly request?: { readonly method: 'PUT' | 'POST'; readonly url: string };
}

export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: 'collection' | 'transaction';
  readonly entry: readonly BundleEntry[];
}
