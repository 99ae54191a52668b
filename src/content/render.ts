/**
 * Rendering one channel's variant for one scope: every template of the
 * variant through its engine (HTML escaped, the rest not), and the variables
 * they read that the scope lacks. No I/O: the caller brings the scope.
 */
import { LiquidError } from 'liquidjs';
import { TouchpointError } from '../errors.js';
import { describeLiquidError, type Engines } from './liquid.js';
import { missingVariables } from './missing.js';
import type { ContentChannel } from './schema.js';
import { visitVariant } from './templates.js';
import type { ContentItem, Rendered, RenderScope } from './types.js';

/** What templates see: the scope's parts by name, and `traits` for `profile.traits`. */
export function liquidScope(scope: RenderScope): Record<string, unknown> {
  return {
    profile: scope.profile,
    traits: scope.profile.traits,
    ...(scope.event !== undefined && { event: scope.event }),
    ...(scope.journey !== undefined && { journey: scope.journey }),
  };
}

/** The hosts written out in a template's web links: Liquid in a host (https://{{ x }}/) names none. */
export function linkHostsOf(template: string): string[] {
  const hosts = new Set<string>();
  for (const m of template.matchAll(/https?:\/\/([^/\s"'<>{}?#\\]+)/gi)) {
    // As a parsed URL names it (an international name in punycode), which is how a link is compared.
    if (URL.canParse(`https://${m[1]}`)) hosts.add(new URL(`https://${m[1]}`).hostname);
  }
  return [...hosts];
}

export async function renderVariant<C extends ContentChannel>(engines: Engines, item: ContentItem, channel: C, scope: RenderScope): Promise<Rendered<C>> {
  const variant = item.variants[channel];
  if (variant === undefined) {
    const has = Object.keys(item.variants).join(', ');
    throw new TouchpointError('TP_CONTENT_NO_VARIANT', `Content ${item.name} has no ${channel} variant; it has ${has}.`);
  }
  const data = liquidScope(scope);
  const missing = new Set<string>();
  const rendered = await visitVariant(channel, variant, async (site) => {
    try {
      const parsed = engines.parse(site.kind, site.text);
      for (const path of missingVariables(parsed.variables, data)) missing.add(path);
      return await engines.render(site.kind, parsed, data);
    } catch (error) {
      if (!LiquidError.is(error)) throw error;
      // Templates are checked at save; what fails here failed while rendering (a limit, a filter's argument).
      const problem = describeLiquidError(error);
      throw new TouchpointError(
        'TP_INVALID_TEMPLATE',
        `Content ${item.name} could not be rendered: ${site.pointer}: line ${problem.line}, column ${problem.column}: ${problem.message}.`,
        { problems: [{ pointer: site.pointer, ...problem }] },
      );
    }
  });
  const out = channel === 'email' ? { ...rendered, linkHosts: linkHostsOf(String((variant as { html: string }).html)) } : rendered;
  return { channel, variant: out, missing: [...missing] } as Rendered<C>;
}
