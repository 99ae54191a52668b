/** The console's small building blocks: page frame, cards, states, figures. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '../api.js';

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the new page's title after each navigation.
  useEffect(() => {
    document.title = `${props.title} · Touchpoint`;
    heading.current?.focus({ preventScroll: true });
  }, [props.title]);
  return (
    <section class="page">
      <header class="page-header">
        <h1 tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Card(props: { title?: string; class?: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class={`card ${props.class ?? ''}`}>
      {(props.title || props.actions) && (
        <header class="card-header">
          {props.title && <h2>{props.title}</h2>}
          {props.actions}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <p class="loading" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

export function ErrorBox(props: { error: ApiError | undefined }) {
  if (!props.error) return null;
  return (
    <div class="error" role="alert">
      <strong>{props.error.code}</strong> {props.error.message}
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function Stat(props: { label: string; value: ComponentChildren; hint?: string }) {
  return (
    <div class="stat">
      <div class="stat-value">{props.value}</div>
      <div class="stat-label">{props.label}</div>
      {props.hint && <div class="stat-hint">{props.hint}</div>}
    </div>
  );
}

const numberFormat = new Intl.NumberFormat('en');
export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? '–' : numberFormat.format(n));
export const formatPercent = (rate: number | null | undefined, digits = 1) =>
  rate === null || rate === undefined || Number.isNaN(rate) ? '–' : `${(rate * 100).toFixed(digits)}%`;
export const formatTime = (ms: number | string | null | undefined) =>
  ms === null || ms === undefined ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
