// The synthetic-registry flags shared by `stratum synth` and `stratum demo` (--patients, --sites, --seed), read
// into checked SynthParameters; a bad value is a usage error naming the command, the flag and the value.
import { SynthParameterError, synthParameters, type SynthParameters } from '../synth/synth-parameters.js';
import { UsageError } from './usage-error.js';

export function intFlag(command: string, name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`${command}: --${name} must be an integer >= ${min}, got '${text}'`);
  return v;
}

export function synthParametersFromFlags(command: string, values: { patients?: string; sites?: string; seed?: string }): SynthParameters {
  try {
    return synthParameters({
      patients: intFlag(command, 'patients', values.patients, 2000, 1),
      sites: intFlag(command, 'sites', values.sites, 12, 1),
      seed: intFlag(command, 'seed', values.seed, 1, 0),
    });
  } catch (error) {
    if (error instanceof SynthParameterError) throw new UsageError(error.message);
    throw error;
  }
}
