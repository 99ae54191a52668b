/** The reports' declared parameters (GET /api/reports), asked once per page load: they change only with the server. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from '../../api.js';
import type { ReportDeclaration } from './types.js';

let asked: Promise<ReportDeclaration[]> | undefined;

export function useDeclarations(): { data?: ReportDeclaration[]; error?: ApiError } {
  const [state, setState] = useState<{ data?: ReportDeclaration[]; error?: ApiError }>({});
  useEffect(() => {
    asked ??= get<{ reports: ReportDeclaration[] }>('/api/reports').then((r) => r.reports);
    asked.then(
      (data) => setState({ data }),
      (error: unknown) => {
        asked = undefined;
        setState({ error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
      },
    );
  }, []);
  return state;
}

/** The API query for a report: the address's values of declared parameters, else the console's defaults. */
export function requestQuery(specs: readonly { name: string }[], query: URLSearchParams, defaults: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name } of specs) {
    const value = query.get(name) ?? defaults[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
