// An MCS device setting (pump level, speed, flow, IABP ratio, position check) is one Observation pointing at its
// Device, with one component per recorded field; component codes are the field names in the Stratum device-setting
// CodeSystem. Shared by the exporter and the importer so the two cannot drift.

export const SETTING_COMPONENTS = [
  { key: 'pLevel', kind: 'integer' },
  { key: 'speed_rpm', kind: 'quantity', unit: '/min' },
  { key: 'flow_L_min', kind: 'quantity', unit: 'L/min' },
  { key: 'iabpRatio', kind: 'integer' },
  { key: 'positionChecked', kind: 'boolean' },
  { key: 'positionOk', kind: 'boolean' },
] as const;

export type SettingComponent = (typeof SETTING_COMPONENTS)[number];

/** Observation.code of a device setting in the Stratum device-setting CodeSystem. */
export const DEVICE_SETTING_CODE = 'device-setting';
