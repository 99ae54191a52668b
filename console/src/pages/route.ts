/** One console address: its pattern (`/customers/:id`), and the page it shows. */
import type { ComponentChildren } from 'preact';

export interface RouteDef {
  pattern: string;
  render(params: Record<string, string>, query: URLSearchParams): ComponentChildren;
}
