import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupBatch } from './group-batch.js';

/** A batch processor that records each batch and finishes when released, so a test controls the timing. */
function recorder() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const batch = new GroupBatch<number, number>(async (items) => {
    batches.push([...items]);
    await new Promise<void>((r) => releases.push(r));
    if (items.includes(-1)) throw new Error('bad batch');
    return items.map((x) => x * 10);
  }, 3);
  const started = async () => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
  };
  const releaseNext = async () => {
    await started();
    releases.shift()!();
  };
  return { batch, batches, started, releaseNext };
}

test('items of one turn share a batch; items sent while it runs wait for the next; each gets its own answer', async () => {
  const { batch, batches, started, releaseNext } = recorder();
  const first = [1, 2].map((x) => batch.submit(x));
  await started();
  // The first batch is in the database: these wait, and go together in the next one.
  const second = [3, 4].map((x) => batch.submit(x));
  await releaseNext();
  assert.deepEqual(await Promise.all(first), [10, 20]);
  await releaseNext();
  assert.deepEqual(await Promise.all(second), [30, 40]);
  assert.deepEqual(batches, [[1, 2], [3, 4]]);
});

test('at most maxBatch items per batch, in order', async () => {
  const { batch, batches, releaseNext } = recorder();
  const all = [1, 2, 3, 4, 5].map((x) => batch.submit(x));
  await releaseNext();
  await releaseNext();
  assert.deepEqual(await Promise.all(all), [10, 20, 30, 40, 50]);
  assert.deepEqual(batches, [[1, 2, 3], [4, 5]]);
});

test('a failing batch rejects its own items only; the next batch still runs', async () => {
  const { batch, releaseNext } = recorder();
  const bad = [7, -1].map((x) => batch.submit(x));
  const settled = Promise.allSettled(bad);
  await releaseNext();
  const outcomes = await settled;
  assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
  assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /bad batch/);
  const good = batch.submit(8);
  await releaseNext();
  assert.equal(await good, 80);
});

test('a processor answering the wrong number of items fails its batch instead of mis-assigning answers', async () => {
  const batch = new GroupBatch<number, number>(async (items) => items.slice(1));
  const outcomes = await Promise.allSettled([batch.submit(1), batch.submit(2)]);
  assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
  assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /1 answers for 2 items/);
});
