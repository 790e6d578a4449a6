/**
 * A bounded work pool for filesystem jobs. Tasks may add more tasks (a
 * directory task adds its entries), so traversal needs no recursion: the tree
 * lives in the queue, never on the call stack, and a 10,000-level-deep tree
 * costs queue entries, not stack frames.
 *
 * Why a pool instead of Promise.all over everything: tens of thousands of
 * simultaneous opens would exhaust file descriptors and memory, while a few
 * dozen in flight keep libuv's threadpool saturated.
 */
export class WorkPool {
  private running = 0;
  private readonly queue: Array<() => Promise<void>> = [];
  private failure: { error: unknown } | undefined;
  private waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`pool size must be a positive integer, got ${limit}`);
  }

  /** Queues a task. After the first failure new tasks are dropped: the whole job is failing anyway. */
  add(task: () => Promise<void>): void {
    if (this.failure) return;
    this.queue.push(task);
    this.pump();
  }

  /** True once a task has failed: long-running tasks may check it to stop early. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Resolves when every task (including ones added meanwhile) is done; rejects with the first failure. */
  async drain(): Promise<void> {
    if (!this.idle()) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure.error;
  }

  private idle(): boolean {
    return this.running === 0 && (this.queue.length === 0 || this.failure !== undefined);
  }

  private pump(): void {
    while (this.running < this.limit && this.queue.length > 0 && !this.failure) {
      // LIFO: depth-first order keeps the queue about one directory listing
      // per level long instead of holding a whole breadth of the tree.
      const task = this.queue.pop()!;
      this.running++;
      // Started from a microtask, never synchronously: a task that adds
      // tasks must not re-enter pump() on the same stack.
      Promise.resolve()
        .then(task)
        .then(
          () => this.settle(),
          (error: unknown) => {
            this.failure ??= { error };
            this.queue.length = 0;
            this.settle();
          },
        );
    }
    if (this.idle() && this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  private settle(): void {
    this.running--;
    this.pump();
  }
}
