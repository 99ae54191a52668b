/**
 * What customers will do later (open, click, order, unsubscribe), in time
 * order: a binary heap keyed by time, then customer, then the order things
 * were planned in, so that ties always come out the same way.
 */
export interface Timed {
  at: number;
  customer: number;
}

export function createQueue<T extends Timed>() {
  const heap: { item: T; seq: number }[] = [];
  let seq = 0;
  const before = (a: { item: T; seq: number }, b: { item: T; seq: number }) =>
    a.item.at !== b.item.at ? a.item.at < b.item.at : a.item.customer !== b.item.customer ? a.item.customer < b.item.customer : a.seq < b.seq;
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
  };
  return {
    get size() {
      return heap.length;
    },
    push(item: T) {
      heap.push({ item, seq: seq++ });
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        swap(i, parent);
        i = parent;
      }
    },
    /** Removes and returns everything due at or before `at`, in order. */
    popUntil(at: number): T[] {
      const out: T[] = [];
      while (heap.length > 0 && heap[0]!.item.at <= at) {
        out.push(heap[0]!.item);
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
        for (let i = 0; ; ) {
          const [l, r] = [2 * i + 1, 2 * i + 2];
          let m = i;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return out;
    },
  };
}
