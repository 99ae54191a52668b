/**
 * Which fields of each channel's variant are templates, and which engine
 * reads them: the one place that knows it. Checking at save and rendering
 * both walk a variant through the same function, so that they can never
 * disagree on what a template is.
 */
import type { TemplateKind } from './liquid.js';
import { htmlToText } from './plain-text.js';
import type { ContentChannel, Variants } from './schema.js';
import type { RenderedVariants } from './types.js';

/** One template of an item: its JSON pointer in the item, its engine and its text. */
export interface TemplateSite {
  pointer: string;
  kind: TemplateKind;
  text: string;
}

export type TemplateVisitor = (site: TemplateSite) => Promise<string>;

type ChannelTemplates = { [C in ContentChannel]: (variant: Variants[C], visit: TemplateVisitor, at: string) => Promise<RenderedVariants[C]> };

/** An escaped JSON pointer token: "~" and "/" may appear in webhook payload keys. */
const token = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** Every string inside a JSON value is a template; keys and other values stay as they are. */
async function visitJson(value: unknown, visit: TemplateVisitor, at: string): Promise<unknown> {
  if (typeof value === 'string') return visit({ pointer: at, kind: 'text', text: value });
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [i, item] of value.entries()) items.push(await visitJson(item, visit, `${at}/${i}`));
    return items;
  }
  if (typeof value !== 'object' || value === null) return value;
  const fields: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) fields[key] = await visitJson(item, visit, `${at}/${token(key)}`);
  return fields;
}

const text = (at: string, field: string, value: string | undefined, visit: TemplateVisitor) =>
  value === undefined ? undefined : visit({ pointer: `${at}/${field}`, kind: 'text', text: value });

export const CHANNEL_TEMPLATES: ChannelTemplates = {
  async email(variant, visit, at) {
    const subject = await visit({ pointer: `${at}/subject`, kind: 'text', text: variant.subject });
    const preheader = await text(at, 'preheader', variant.preheader, visit);
    const html = await visit({ pointer: `${at}/html`, kind: 'html', text: variant.html });
    const plain = (await text(at, 'text', variant.text, visit)) ?? htmlToText(html);
    // Sender fields and switches are not templates: they pass through as written.
    const { from, replyTo, trackLinks, trackOpens } = variant;
    return {
      subject,
      ...(preheader !== undefined && { preheader }),
      html,
      text: plain,
      ...(from !== undefined && { from }),
      ...(replyTo !== undefined && { replyTo }),
      ...(trackLinks !== undefined && { trackLinks }),
      ...(trackOpens !== undefined && { trackOpens }),
    };
  },
  async sms(variant, visit, at) {
    return { text: await visit({ pointer: `${at}/text`, kind: 'text', text: variant.text }) };
  },
  async push(variant, visit, at) {
    const title = await visit({ pointer: `${at}/title`, kind: 'text', text: variant.title });
    const body = await visit({ pointer: `${at}/body`, kind: 'text', text: variant.body });
    const deepLink = await text(at, 'deepLink', variant.deepLink, visit);
    return { title, body, ...(deepLink !== undefined && { deepLink }) };
  },
  async webhook(variant, visit, at) {
    return { payload: await visitJson(variant.payload, visit, `${at}/payload`) };
  },
};

/** Walks one channel's variant: the typed entry to the table above. */
export function visitVariant<C extends ContentChannel>(channel: C, variant: Variants[C], visit: TemplateVisitor): Promise<RenderedVariants[C]> {
  return (CHANNEL_TEMPLATES[channel] as (v: Variants[C], visit: TemplateVisitor, at: string) => Promise<RenderedVariants[C]>)(
    variant,
    visit,
    `/variants/${channel}`,
  );
}
