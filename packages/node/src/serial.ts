/**
 * Runs tasks one at a time, each after the one before has settled (a lock for asynchronous
 * work: a task's failure is its caller's, and the next task runs anyway).
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(settled, settled);
    return result;
  }

  /** Settles once every task queued so far has. */
  idle(): Promise<void> {
    return this.tail.then(settled);
  }
}

const settled = (): void => {};
