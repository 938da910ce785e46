/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newDeviceId } from './device-id.js';

describe('newDeviceId', () => {
  it('numbers from 1 within the kind', () => {
    assert.equal(newDeviceId('iabp', []), 'iabp-1');
    assert.equal(newDeviceId('iabp', ['microaxial-1']), 'iabp-1');
  });

  it('skips every id in use, including one the default position-based id would repeat', () => {
    // An episode whose first device was imported as 'iabp-1': the format's default for a device at index 1 is 'iabp-1'.
    assert.equal(newDeviceId('iabp', ['iabp-1']), 'iabp-2');
    assert.equal(newDeviceId('va_ecmo', ['va_ecmo-1', 'va_ecmo-3', 'va_ecmo-2']), 'va_ecmo-4');
    assert.equal(newDeviceId('iabp', ['iabp-2']), 'iabp-1');
  });
});
