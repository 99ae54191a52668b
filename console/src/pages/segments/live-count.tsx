/** The live count: how many customers the condition matches now, asked again a moment after each edit stops. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../../api.js';
import { useDebounced } from '../../components/debounce.js';
import { ProblemList } from '../../components/problems.js';
import { formatNumber, formatPercent } from '../../components/ui.js';
import { href } from '../../router.js';
import type { Cond } from './condition-model.js';

interface Preview {
  count: number;
  total: number;
  sample: { id: string; name?: string | null; email?: string | null }[];
}

export function LiveCount(props: { condition: Cond }) {
  const text = useDebounced(JSON.stringify(props.condition), 400);
  const [state, setState] = useState<{ busy: boolean; preview?: Preview; error?: ApiError }>({ busy: true });
  const round = useRef(0);
  useEffect(() => {
    const mine = ++round.current;
    setState((s) => ({ ...s, busy: true }));
    post<Preview>('/api/segments/preview', { condition: JSON.parse(text), sample: 10 }).then(
      (preview) => mine === round.current && setState({ busy: false, preview }),
      (error: unknown) =>
        mine === round.current && setState({ busy: false, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) }),
    );
  }, [text]);
  const p = state.preview;
  return (
    <section class="card live-count" aria-labelledby="live-count-title">
      <h2 id="live-count-title">Live count</h2>
      <output class="live-figure" aria-live="polite" aria-busy={state.busy} data-count={state.error ? undefined : p?.count}>
        {state.error ? '–' : p ? formatNumber(p.count) : '…'}
      </output>
      <p class="muted">
        {state.busy
          ? 'Counting…'
          : p && !state.error
            ? `customers match now, of ${formatNumber(p.total)} (${formatPercent(p.total ? p.count / p.total : 0)})`
            : ''}
      </p>
      <ProblemList error={state.error} />
      {p && !state.error && p.sample.length > 0 && (
        <>
          <h3>Some of them</h3>
          <ul class="sample">
            {p.sample.map((m) => (
              <li key={m.id}>
                <a href={href(`/customers/${encodeURIComponent(m.id)}`)}>{m.name || m.email || m.id}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
