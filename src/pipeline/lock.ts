/**
 * A lock shared between threads (the server and its pipeline worker) through
 * a SharedArrayBuffer: one writer at a time, in the order they asked (a
 * ticket lock), so that neither thread can starve the other. Waiting never
 * blocks an event loop. With SQLite it also keeps the two threads from waiting
 * on the database's own write lock, which would block.
 */
export interface SharedLock {
  readonly buffer: SharedArrayBuffer;
  acquire(): Promise<void>;
  release(): void;
  /** Whether another holds or waits for the lock now. */
  contended(): boolean;
}

type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

const NEXT_TICKET = 0;
const SERVING = 1;

export function createSharedLock(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)): SharedLock {
  const words = new Int32Array(buffer);
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  return {
    buffer,
    async acquire() {
      const ticket = Atomics.add(words, NEXT_TICKET, 1);
      for (;;) {
        const serving = Atomics.load(words, SERVING);
        if (serving === ticket) return;
        const result = waitAsync(words, SERVING, serving, 1000);
        if (result.async) await result.value;
      }
    },
    release() {
      Atomics.add(words, SERVING, 1);
      Atomics.notify(words, SERVING);
    },
    contended() {
      return Atomics.load(words, NEXT_TICKET) - Atomics.load(words, SERVING) > 0;
    },
  };
}
