// Every URL Stratum mints for FHIR: its CodeSystems, identifier systems (NamingSystem-style) and extensions, all
// under one base. The base uses the reserved `.example` top-level domain (RFC 2606) so that it can never clash with a
// real system; a site publishing Stratum's StructureDefinitions changes STRATUM_FHIR_BASE only. Documented in
// docs/fhir.md.

/** Root of every Stratum-defined FHIR URL. */
export const STRATUM_FHIR_BASE = 'https://stratum.example/fhir';

// ---------------------------------------------------------------- external systems (HL7 FHIR R4 terminology)

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
/** HL7 v2 table 0203 (identifier type), code 'MR' = medical record number. */
export const IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** HL7 v3 ActCode, code 'IMP' = inpatient encounter (Encounter.class). */
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** FHIR observation-category (vital-signs, laboratory, procedure, exam). */
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

// ---------------------------------------------------------------- identifier systems

const SID = `${STRATUM_FHIR_BASE}/sid`;
/** Patient.identifier: the patient's id in the source system (PatientIdentity.sourceId), kept verbatim. */
export const SID_PATIENT_SOURCE_ID = `${SID}/patient-source-id`;
/** Patient.identifier: medical record number. */
export const SID_MRN = `${SID}/mrn`;
/** Encounter.identifier: the episode id (episode.id), kept verbatim. */
export const SID_EPISODE = `${SID}/episode-id`;
/** Encounter.serviceProvider.identifier: the site code. */
export const SID_SITE = `${SID}/site`;
/** Device.identifier: the device id within the episode (devices[].id). */
export const SID_DEVICE = `${SID}/device-id`;

// ---------------------------------------------------------------- code systems

const CS = `${STRATUM_FHIR_BASE}/CodeSystem`;
/** Stratum observation codes (OBSERVATION_CODE_NAMES), used beside LOINC and alone where LOINC has no code. */
export const CS_OBSERVATION = `${CS}/observation`;
/** Infusion and bolus drugs (INFUSION_DRUGS, BOLUS_DRUGS). */
export const CS_DRUG = `${CS}/drug`;
/** Purge solutions (PURGE_SOLUTIONS): MedicationAdministration.medicationCodeableConcept of a purge. */
export const CS_PURGE_SOLUTION = `${CS}/purge-solution`;
/** MCS device kinds: Device.type and the insertion Procedure.code. */
export const CS_DEVICE_KIND = `${CS}/device-kind`;
/** Device selection reasons (SELECTION_REASONS): Procedure.reasonCode. */
export const CS_SELECTION_REASON = `${CS}/device-selection-reason`;
/** Access sites (ACCESS_SITES): Procedure.bodySite. */
export const CS_ACCESS_SITE = `${CS}/access-site`;
/** Device settings: the Observation.code of a setting and its component codes. */
export const CS_DEVICE_SETTING = `${CS}/device-setting`;
/** Organ supports (SUPPORT_KINDS): Procedure.code. */
export const CS_SUPPORT = `${CS}/organ-support`;
/** Episode event kinds: Condition.code / Procedure.code of an event. */
export const CS_EVENT = `${CS}/event`;
/** Transfusion products (TRANSFUSION_PRODUCTS): Procedure.usedCode of a transfusion. */
export const CS_TRANSFUSION_PRODUCT = `${CS}/transfusion-product`;

// ---------------------------------------------------------------- extensions

const SD = `${STRATUM_FHIR_BASE}/StructureDefinition`;
/** Encounter: complex {kind (code), time (dateTime)}: the episode's anchor. */
export const EXT_ANCHOR = `${SD}/episode-anchor`;
/** Encounter: complex {cicuAdmission, shockOnset, pciStart} (dateTime); admission/discharge are Encounter.period. */
export const EXT_TIMES = `${SD}/episode-times`;
/** Encounter: decimal, age in years at the episode. */
export const EXT_AGE_YEARS = `${SD}/age-years`;
/** Encounter: complex, the clinical context (etiology, mixed shock, baseline creatinine, ...), one sub-extension per field. */
export const EXT_CLINICAL_CONTEXT = `${SD}/clinical-context`;
/** Encounter: complex {lastKnownAlive, source, note}: vital-status follow-up. */
export const EXT_FOLLOW_UP = `${SD}/follow-up`;
/** Encounter (repeating): complex {from, protocolId, target | targets, note}: anticoagulation protocol in force. */
export const EXT_ANTICOAGULATION_PROTOCOL = `${SD}/anticoagulation-protocol`;
/** Observation: code, the specimen (SPECIMENS). */
export const EXT_SPECIMEN = `${SD}/specimen`;
/** Observation: decimal, the period in minutes ending at the effective time over which a rate was measured. */
export const EXT_PERIOD_MINUTES = `${SD}/period-minutes`;
/** Observation: string, samples from the same draw share it. */
export const EXT_SAMPLE_ID = `${SD}/sample-id`;
/** MedicationAdministration: code 'infusion' | 'bolus' | 'purge'. */
export const EXT_ADMINISTRATION_KIND = `${SD}/administration-kind`;
/** MedicationAdministration (bolus): code, the context (protocol, procedural, flush, other). */
export const EXT_BOLUS_CONTEXT = `${SD}/bolus-context`;
/** MedicationAdministration (purge): Quantity, heparin concentration of the purge solution in [IU]/mL. */
export const EXT_PURGE_HEPARIN = `${SD}/purge-heparin-concentration`;
/** MedicationAdministration (purge): Quantity, bicarbonate concentration in meq/L. */
export const EXT_PURGE_BICARBONATE = `${SD}/purge-bicarbonate-concentration`;
/** Procedure (MCS device): complex, the device fields FHIR has no element for (side, placement, model, ...). */
export const EXT_DEVICE_DETAILS = `${SD}/device-details`;
/** Condition / Procedure (event): complex, the event's fields FHIR has no element for (rhythm, rosc, side, ...). */
export const EXT_EVENT_DETAILS = `${SD}/event-details`;
/** Condition (bleeding): complex, the bleeding facts (site, Hb, transfusions, ...), one sub-extension per fact. */
export const EXT_BLEEDING_FACTS = `${SD}/bleeding-facts`;
/** Procedure (transfusion): integer, number of units. */
export const EXT_TRANSFUSION_UNITS = `${SD}/transfusion-units`;
/** Procedure (transfusion): integer, index in events of the bleeding it treated, when it has no resource to point at. */
export const EXT_FOR_BLEEDING_EVENT_INDEX = `${SD}/for-bleeding-event-index`;
