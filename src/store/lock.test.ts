import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createSharedLock } from './lock.js';

it('lets one holder in at a time, in the order they asked', async () => {
  const lock = createSharedLock();
  const order: string[] = [];
  await lock.acquire();
  const second = lock.acquire().then(() => order.push('second'));
  const third = lock.acquire().then(() => order.push('third'));
  order.push('first');
  lock.release();
  await second;
  lock.release();
  await third;
  lock.release();
  assert.deepEqual(order, ['first', 'second', 'third']);
});

it('excludes another thread', async () => {
  const lock = createSharedLock();
  const shared = new Int32Array(new SharedArrayBuffer(4));
  await lock.acquire();
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const words = new Int32Array(workerData.lock);
    const flag = new Int32Array(workerData.flag);
    // A pending Atomics.waitAsync does not keep a thread alive by itself.
    const alive = setInterval(() => {}, 1000);
    (async () => {
      const ticket = Atomics.add(words, 0, 1);
      while (Atomics.load(words, 1) !== ticket) await Atomics.waitAsync(words, 1, Atomics.load(words, 1)).value;
      Atomics.store(flag, 0, 1);
      Atomics.add(words, 1, 1); Atomics.notify(words, 1);
      parentPort.postMessage('done');
      clearInterval(alive);
    })();`,
    { eval: true, workerData: { lock: lock.buffer, flag: shared.buffer } },
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(Atomics.load(shared, 0), 0, 'the worker waits while this thread holds the lock');
  lock.release();
  await new Promise((resolve) => worker.once('message', resolve));
  assert.equal(Atomics.load(shared, 0), 1);
  await lock.acquire();
  lock.release();
  await worker.terminate();
});

it('keeps a thread that has nothing else to do alive while it waits its turn', async () => {
  const lock = createSharedLock();
  await lock.acquire();
  // The worker only waits for the lock, as the pipeline worker does while it opens its store.
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.module).then(async ({ createSharedLock }) => {
      const lock = createSharedLock(1, workerData.lock);
      await lock.acquire();
      parentPort.postMessage('took the lock');
      lock.release();
    });`,
    { eval: true, workerData: { lock: lock.buffer, module: new URL('./lock.js', import.meta.url).href } },
  );
  const said: unknown[] = [];
  worker.on('message', (message) => said.push(message));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  while (!lock.contended()) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 100));
  lock.release();
  assert.equal(await exited, 0);
  assert.deepEqual(said, ['took the lock'], 'the worker did not exit before its turn came');
});
