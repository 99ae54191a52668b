/** Loading API data in a page: the latest answer, the error, and a way to ask again. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, type Query } from './api.js';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload(): void;
}

/** GETs `path` with `query` whenever either changes (null path: nothing to load yet). */
export function useApi<T>(path: string | null, query: Query = {}): Loaded<T> {
  const key = path === null ? null : JSON.stringify([path, query]);
  const [state, setState] = useState<{ data?: T; of?: string; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [round, setRound] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    // The same resource asked with other parameters keeps showing (dimmed) until the new answer; another resource does not.
    setState((s) => ({ data: s.of === path ? s.data : undefined, of: s.of === path ? s.of : undefined, loading: true }));
    get<T>(path, queryRef.current, abort.signal).then(
      (data) => setState({ data, of: path, loading: false }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState({ loading: false, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
      },
    );
    return () => abort.abort();
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** Runs an action (save, pause…) and keeps its error or its answer for the page to show. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [state, setState] = useState<{ busy: boolean; error?: ApiError; result?: T }>({ busy: false });
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setState({ busy: true });
      try {
        const result = await action(...args);
        setState({ busy: false, result });
        return result;
      } catch (error) {
        setState({ busy: false, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
        return undefined;
      }
    },
    [action],
  );
  return { ...state, run };
}
