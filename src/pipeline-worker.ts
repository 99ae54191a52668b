/**
 * Entry of the pipeline worker thread (see pipeline/threaded.ts): opens its own
 * connection to the store and runs the pipeline loop until told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './config.js';
import { createLogger, openWorkerTouchpoint } from './main.js';

const { config, lockBuffers } = workerData as { config: Config; lockBuffers: { store: SharedArrayBuffer; log: SharedArrayBuffer } };
const logger = createLogger(config).child({ thread: 'pipeline' });
const touchpoint = await openWorkerTouchpoint(config, lockBuffers, logger);
touchpoint.pipeline.start();
touchpoint.journeys.runner.start();

const report = setInterval(async () => {
  const counter = await touchpoint.metrics.pipelineEvents.get();
  parentPort!.postMessage({ type: 'counts', values: counter.values.map((v) => ({ labels: v.labels, value: v.value })) });
}, 250);

parentPort!.on('message', async (message: string) => {
  if (message === 'wake') {
    touchpoint.pipeline.wake();
    touchpoint.journeys.runner.wake();
  }
  if (message === 'stop') {
    clearInterval(report);
    await touchpoint.close();
    parentPort!.close();
  }
});
