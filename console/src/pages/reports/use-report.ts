/**
 * A report's answer for the parameters in the address. Unlike a plain
 * fetch hook, the answer carries the query it answered, so the page can tell
 * an answer to older parameters (shown dimmed while the new one runs) from
 * the current one, from the first render after the address changed.
 * The server may answer with a kept answer (its `freshness` says how old);
 * `reload` asks it to compute anew.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from '../../api.js';
import type { ReportResult } from './types.js';

export interface ReportAnswer {
  data?: ReportResult;
  error?: ApiError;
  /** True until the answer to the current query (or its refusal) is in. */
  loading: boolean;
  /** Asks again, for an answer computed now. */
  reload(): void;
}

export function useReport(path: string | null, query: Record<string, string>): ReportAnswer {
  const key = path === null ? null : JSON.stringify([path, query]);
  const [state, setState] = useState<{ answered?: string; data?: ReportResult; error?: ApiError }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    const answered = `${key}#${round}`;
    get<ReportResult>(path, round > 0 ? { ...query, fresh: 'true' } : query, abort.signal).then(
      (data) => setState({ answered, data }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState({ answered, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
      },
    );
    return () => abort.abort();
  }, [key, round]);
  const current = state.answered === `${key}#${round}`;
  return {
    data: state.data,
    error: current ? state.error : undefined,
    loading: path === null || !current,
    reload: () => setRound((r) => r + 1),
  };
}
