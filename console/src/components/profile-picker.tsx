/** Picks a customer by the start of an email, name, identifier or id (GET /api/profiles?q=). */
import { useState } from 'preact/hooks';
import { useApi } from '../hooks.js';
import { useDebounced } from './debounce.js';

export interface ProfileSummary {
  id: string;
  name?: string | null;
  email?: string | null;
}

export const describeProfile = (p: ProfileSummary) => [p.name, p.email].filter(Boolean).join(' · ') || p.id;

export function ProfilePicker(props: { value: ProfileSummary | undefined; onChange(profile: ProfileSummary): void; label?: string }) {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const found = useApi<{ profiles: ProfileSummary[] }>(q ? '/api/profiles' : null, { q, limit: 8 });
  return (
    <div class="profile-picker">
      <label>
        {props.label ?? 'Customer'}
        <input type="search" placeholder="Email, name or id" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      {q && found.data && (
        <ul class="picker-results" aria-label="Matching customers">
          {found.data.profiles.length === 0 && <li class="empty">No customer starts with “{q}”.</li>}
          {found.data.profiles.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                class="link"
                onClick={() => {
                  props.onChange(p);
                  setQuery('');
                }}
              >
                {describeProfile(p)} <span class="muted">{p.id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="picked" aria-live="polite">
        {props.value ? (
          <>
            Chosen: <strong>{describeProfile(props.value)}</strong> <span class="muted">{props.value.id}</span>
          </>
        ) : (
          <span class="muted">No customer chosen.</span>
        )}
      </p>
    </div>
  );
}
