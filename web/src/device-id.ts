// The id of a device the clinician inserts. The episode format names a device without an id '<kind>-<index>' (its
// position in the episode), which can repeat an id an earlier device was given explicitly (imports and the synthetic
// registry number from 1: 'iabp-1'); the server then rejects the entry as a duplicate. So the form sends an id itself.

/** '<kind>-<n>' with the smallest n from 1 that no device of the episode uses. */
export function newDeviceId(kind: string, used: readonly string[]): string {
  const taken = new Set(used);
  let n = 1;
  while (taken.has(`${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}
