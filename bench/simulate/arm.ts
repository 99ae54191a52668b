/** One run of the simulation in a worker thread of its own (main.ts runs the two side by side). */
import { parentPort, workerData } from 'node:worker_threads';
import { runArm, type RunOptions } from './run.js';

const options = workerData as Omit<RunOptions, 'progress'>;
const began = performance.now();
const result = await runArm({ ...options, progress: (day) => parentPort!.postMessage({ kind: 'progress', day }) });
parentPort!.postMessage({ kind: 'result', result, seconds: (performance.now() - began) / 1000 });
