/**
 * The write lock shared by the threads of one process (the server and its
 * pipeline worker) through a SharedArrayBuffer. SQLite has one writer at a
 * time; taking turns here, asynchronously, keeps a thread from blocking its
 * event loop on SQLite's own lock. It is a ticket lock (turns in the order
 * asked, so neither thread starves the other), and each thread keeps at most
 * one ticket, recorded in its slot: when a thread dies holding or awaiting
 * the lock, another thread gives its ticket up (`abandon`) and nothing stalls.
 */
export interface SharedLock {
  readonly buffer: SharedArrayBuffer;
  /** This thread's slot (0: the server, 1: the pipeline worker). */
  readonly slot: number;
  acquire(): Promise<void>;
  release(): void;
  /** Whether another turn is waiting now. */
  contended(): boolean;
  /** The slot of the thread holding the lock, or -1. */
  holder(): number;
  /** Gives up a dead thread's ticket: frees the lock if it held it, skips its turn if it waited. */
  abandon(slot: number): void;
}

type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

export const LOCK_SLOTS = 2;
const NEXT_TICKET = 0;
const SERVING = 1;
const HELD = 2; // HELD + slot: the ticket a slot holds or awaits, -1 for none
const ABANDONED = HELD + LOCK_SLOTS; // ABANDONED + slot: a dead slot's ticket to skip, -1 for none
const WORDS = ABANDONED + LOCK_SLOTS;
const NONE = -1;

export function createSharedLock(slot = 0, buffer?: SharedArrayBuffer): SharedLock {
  if (slot < 0 || slot >= LOCK_SLOTS) throw new Error(`lock slot ${slot} is not 0 to ${LOCK_SLOTS - 1}`);
  const shared = buffer ?? newBuffer();
  const words = new Int32Array(shared);
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  // Turns within this thread: one shared ticket at a time.
  let local: Promise<void> = Promise.resolve();
  let releaseLocal: (() => void) | undefined;

  /** Moves to the next turn, skipping tickets of threads that died waiting. */
  function advance(): void {
    let serving = Atomics.add(words, SERVING, 1) + 1;
    for (let skipped = true; skipped; ) {
      skipped = false;
      for (let s = 0; s < LOCK_SLOTS; s++) {
        if (Atomics.compareExchange(words, ABANDONED + s, serving, NONE) !== serving) continue;
        serving = Atomics.add(words, SERVING, 1) + 1;
        skipped = true;
      }
    }
    Atomics.notify(words, SERVING);
  }

  async function takeTurn(): Promise<void> {
    const ticket = Atomics.add(words, NEXT_TICKET, 1);
    Atomics.store(words, HELD + slot, ticket);
    for (;;) {
      const serving = Atomics.load(words, SERVING);
      if (serving === ticket) return;
      const result = waitAsync(words, SERVING, serving, 1000);
      if (!result.async) continue;
      // A pending waitAsync does not keep the event loop alive: a thread with nothing else to do
      // (the pipeline worker opening its store at start) would exit while it waits its turn.
      const alive = setTimeout(() => {}, 2000);
      try {
        await result.value;
      } finally {
        clearTimeout(alive);
      }
    }
  }

  return {
    buffer: shared,
    slot,
    async acquire() {
      const previous = local;
      let done!: () => void;
      local = new Promise<void>((resolve) => (done = resolve));
      await previous;
      releaseLocal = done;
      await takeTurn();
    },
    release() {
      Atomics.store(words, HELD + slot, NONE);
      advance();
      const done = releaseLocal;
      releaseLocal = undefined;
      done?.();
    },
    contended() {
      return Atomics.load(words, NEXT_TICKET) - Atomics.load(words, SERVING) > 1;
    },
    holder() {
      const serving = Atomics.load(words, SERVING);
      for (let s = 0; s < LOCK_SLOTS; s++) if (Atomics.load(words, HELD + s) === serving) return s;
      return NONE;
    },
    abandon(dead) {
      const ticket = Atomics.exchange(words, HELD + dead, NONE);
      if (ticket === NONE) return;
      if (ticket === Atomics.load(words, SERVING)) return advance();
      if (ticket < Atomics.load(words, SERVING)) return;
      Atomics.store(words, ABANDONED + dead, ticket);
      // The turn may have come while marking it: whoever clears the mark skips it.
      if (Atomics.load(words, SERVING) === ticket && Atomics.compareExchange(words, ABANDONED + dead, ticket, NONE) === ticket) advance();
    },
  };
}

function newBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(WORDS * 4);
  const words = new Int32Array(buffer);
  for (let i = HELD; i < WORDS; i++) words[i] = NONE;
  return buffer;
}
