// Coalescing of concurrent database requests: items submitted while a batch is being processed wait for the next
// batch, which handles them all with one round of queries; each submitter's promise settles with its own answer.
// Under no load an item is processed alone, on the next turn of the event loop; under load the batches grow with the
// load, so the number of database round trips per request falls as the request rate rises (group commit).

/** Items handled per batch at most [D: bounds one statement's parameters and one transaction's length under a burst]. */
export const MAX_BATCH = 1000;

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupBatch<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = false;

  /** `process` answers every item of a batch, in order; if it throws, every item of the batch gets the error. */
  constructor(private readonly process: (items: readonly I[]) => Promise<readonly O[]>, private readonly maxBatch: number = MAX_BATCH) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start on the next turn, so that the items of requests handled in this turn join the same batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const out = await this.process(batch.map((w) => w.item));
        if (out.length !== batch.length) throw new Error(`group batch: ${out.length} answers for ${batch.length} items`);
        batch.forEach((w, i) => w.resolve(out[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}
