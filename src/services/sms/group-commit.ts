// Group commit for the accept path: requests that arrive while a write is in progress are written
// together by the next one (one transaction, one commit, multi-row statements), so the commit
// cost is shared instead of paid per request. There is no timer: an idle writer starts at once,
// so a lone request waits for nothing; under load the batch grows by itself to what arrived during
// the previous commit. Each caller is answered only after the transaction holding its item has
// committed — or with its own error: when a batch fails it is split in halves and retried, down to
// single items, so a bad item (a duplicate key, an uncovered charge) fails alone and the others are
// still stored.

/** Writes items in one transaction, answering one result per item in order; throws to refuse all. */
export type WriteAll<I, O> = (items: readonly I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

/** Coalesces concurrent writes into batches of at most `maxBatch` items. */
export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private writing = false;

  constructor(
    private readonly writeAll: WriteAll<I, O>,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves once `item` is stored (committed), with its result; rejects with its own error. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    let out: O[];
    try {
      out = await this.writeAll(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // Refused as a whole (nothing of it stored): halves, until the bad items stand alone.
      const half = Math.ceil(batch.length / 2);
      await this.write(batch.slice(0, half));
      await this.write(batch.slice(half));
      return;
    }
    batch.forEach((w, i) => w.resolve(out[i]!));
  }
}
