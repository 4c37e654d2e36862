/**
 * Runs async tasks one at a time in arrival order. The routing engine is a single in-memory state
 * machine; every operation on it, with its writes, goes through one of these so decisions and the
 * database never interleave.
 */
export class SerialRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
      });
    return result;
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
