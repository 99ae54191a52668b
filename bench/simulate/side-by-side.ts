/** The two runs at once, each in a worker thread of its own (arm.ts): on two cores, the time of the slower one. */
import { Worker } from 'node:worker_threads';
import type { Arm, ArmResult, RunOptions } from './run.js';

export interface Timed {
  result: ArmResult;
  seconds: number;
}

function inWorker(job: Omit<RunOptions, 'progress'>, progress?: (arm: Arm, day: number) => void): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./arm.js', import.meta.url), { workerData: job });
    worker.on('message', (m: { kind: 'progress'; day: number } | ({ kind: 'result' } & Timed)) => {
      if (m.kind === 'result') resolve(m);
      else progress?.(job.arm, m.day);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the ${job.arm} run stopped with exit code ${code}`)));
  });
}

export async function sideBySide(
  options: Omit<RunOptions, 'arm' | 'progress'>,
  progress?: (arm: Arm, day: number) => void,
): Promise<{ none: Timed; policy: Timed }> {
  const [none, policy] = await Promise.all([inWorker({ ...options, arm: 'none' }, progress), inWorker({ ...options, arm: 'policy' }, progress)]);
  return { none, policy };
}
