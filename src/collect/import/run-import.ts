/** Runs an import: reads a file, ingests it in batches, and writes a rejects file. */
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import type { Ingest } from '../ingest.js';
import type { Source } from '../sources.js';
import type { FileRecord, RecordReader } from './sources.js';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

export interface ImportSummary extends Omit<ImportProgress, 'bytesRead' | 'totalBytes'> {
  /** Where the rejected lines were written, or null when none were. */
  rejectsPath: string | null;
}

export interface ImportRun {
  ingest: Ingest;
  source: Source;
  file: string;
  reader: RecordReader;
  batchSize: number;
  rejectsPath: string;
  onProgress?: (progress: ImportProgress) => void;
}

export async function runImport(run: ImportRun): Promise<ImportSummary> {
  const totalBytes = statSync(run.file).size;
  const counts = { read: 0, imported: 0, duplicates: 0, rejected: 0 };
  let rejects: WriteStream | undefined;
  const writeReject = (line: number, code: string, message: string) => {
    rejects ??= createWriteStream(run.rejectsPath);
    rejects.write(`${JSON.stringify({ line, code, message })}\n`);
    counts.rejected++;
  };
  let batch: FileRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const good = batch.filter((r) => r.message.ok);
    const result = await run.ingest.ingest(
      run.source,
      good.map((r) => (r.message.ok ? r.message.value : null)),
    );
    counts.imported += result.accepted;
    counts.duplicates += result.duplicates;
    const rejected = [
      ...batch.flatMap((r) => (r.message.ok ? [] : [{ line: r.line, code: r.message.code, message: r.message.message }])),
      ...result.rejected.map((r) => ({ line: good[r.index]!.line, code: r.code, message: r.message })),
    ].sort((a, b) => a.line - b.line);
    for (const r of rejected) writeReject(r.line, r.code, r.message);
    batch = [];
    run.onProgress?.({ ...counts, bytesRead: run.reader.bytesRead(), totalBytes });
  };
  try {
    for await (const record of run.reader.records) {
      counts.read++;
      batch.push(record);
      if (batch.length >= run.batchSize) await flush();
    }
    await flush();
  } finally {
    if (rejects) await new Promise((resolve) => rejects!.end(resolve));
  }
  run.onProgress?.({ ...counts, bytesRead: totalBytes, totalBytes });
  return { ...counts, rejectsPath: rejects ? run.rejectsPath : null };
}
