/**
 * Group commit: appends that arrive while the event loop is busy are written in
 * one transaction, so that many concurrent requests share one durable commit.
 * Each caller's promise settles only after the commit that holds its items.
 */
export interface GroupCommit<T, R> {
  submit(items: T[]): Promise<R[]>;
  /** Resolves once everything submitted so far is written. */
  drain(): Promise<void>;
}

interface Pending<T, R> {
  items: T[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

export function createGroupCommit<T, R>(write: (items: T[]) => Promise<R[]>, options: { maxItems: number }): GroupCommit<T, R> {
  const queue: Pending<T, R>[] = [];
  let busy = false;
  let idle: (() => void)[] = [];

  function schedule(): void {
    if (busy) return;
    busy = true;
    // setImmediate, not a microtask: requests whose bodies finished in this I/O phase join the group.
    setImmediate(flush);
  }

  async function flush(): Promise<void> {
    const group = takeGroup(queue, options.maxItems);
    try {
      const results = await write(group.flatMap((p) => p.items));
      let offset = 0;
      for (const pending of group) {
        pending.resolve(results.slice(offset, offset + pending.items.length));
        offset += pending.items.length;
      }
    } catch (error) {
      for (const pending of group) pending.reject(error);
    }
    busy = false;
    if (queue.length > 0) schedule();
    else {
      const waiting = idle;
      idle = [];
      for (const done of waiting) done();
    }
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise<R[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (!busy && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

function takeGroup<T, R>(queue: Pending<T, R>[], maxItems: number): Pending<T, R>[] {
  const group = [queue.shift()!];
  let count = group[0]!.items.length;
  while (queue.length > 0 && count + queue[0]!.items.length <= maxItems) {
    const next = queue.shift()!;
    count += next.items.length;
    group.push(next);
  }
  return group;
}
