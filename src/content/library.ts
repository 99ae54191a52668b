/**
 * The content library: items saved only once their shape and every template
 * check out, found by id or name, rendered for a scope, previewed for a
 * profile. Checking and rendering are pure (check.ts, render.ts); this file
 * brings them the rows and the profile.
 */
import { TouchpointError } from '../errors.js';
import type { Store } from '../store/index.js';
import { checkContent, formatTemplateProblem, templateProblems } from './check.js';
import { createEngines } from './liquid.js';
import { renderVariant } from './render.js';
import { createContentRepository, type ContentPage } from './repository.js';
import type { ContentChannel, ContentInput } from './schema.js';
import type { ContentItem, ProfileScope, Rendered, RenderScope } from './types.js';

export interface ContentDeps {
  store: Store;
  now(): number;
  newId(): string;
  /** The profile a preview renders for; undefined when no profile has that id. */
  profileScope(profileId: string): Promise<ProfileScope | undefined>;
  /** The names of the journeys that use a content item: an item in use is not deleted. Nothing uses content when absent. */
  isReferenced?(contentId: string): Promise<string[]>;
}

/** A sample of what a journey would add to the scope, for a preview. */
export type PreviewExtras = Omit<RenderScope, 'profile'>;

export interface Content {
  /** Ordered by name (code point order); a page of `limit` items after the name `after` when given. */
  list(page?: ContentPage): Promise<ContentItem[]>;
  get(idOrName: string): Promise<ContentItem | undefined>;
  /** get, or TP_CONTENT_NOT_FOUND. */
  find(idOrName: string): Promise<ContentItem>;
  /** Throws TouchpointError: TP_INVALID_CONTENT, TP_INVALID_TEMPLATE, TP_CONTENT_EXISTS. */
  create(input: ContentInput): Promise<ContentItem>;
  /** Replaces the item's name, description and variants; throws as create does, and TP_CONTENT_NOT_FOUND. */
  update(idOrName: string, input: ContentInput): Promise<ContentItem>;
  /** Throws TP_CONTENT_NOT_FOUND, or TP_CONTENT_IN_USE naming the journeys that use it. */
  remove(idOrName: string): Promise<void>;
  /** Throws TP_CONTENT_NO_VARIANT when the item has no variant for the channel. */
  render<C extends ContentChannel>(item: ContentItem, channel: C, scope: RenderScope): Promise<Rendered<C>>;
  /** Renders for a stored profile (TP_PROFILE_NOT_FOUND when there is none), with a sample event or journey if given. */
  preview<C extends ContentChannel>(idOrName: string, profileId: string, channel: C, extras?: PreviewExtras): Promise<Rendered<C>>;
  /** A JSON value with every string inside rendered as a Liquid template (a journey's webhook call); TP_INVALID_TEMPLATE when one fails. */
  renderJson(value: unknown, scope: RenderScope): Promise<unknown>;
  /** The strings of a JSON value that do not parse as Liquid, as "/pointer: line L, column C: message" (pointers into the value). */
  jsonTemplateProblems(value: unknown): Promise<string[]>;
}

export function createContent(deps: ContentDeps): Content {
  const engines = createEngines();
  const items = createContentRepository(deps.store);

  const notFound = (idOrName: string) => new TouchpointError('TP_CONTENT_NOT_FOUND', `No content item has the id or name ${JSON.stringify(idOrName)}.`);
  const taken = (name: string) => new TouchpointError('TP_CONTENT_EXISTS', `A content item named ${JSON.stringify(name)} exists already.`);

  async function find(idOrName: string): Promise<ContentItem> {
    const item = await items.find(idOrName);
    if (!item) throw notFound(idOrName);
    return item;
  }

  /** Writes an item under a name no other item has. */
  async function save(item: ContentItem, write: 'insert' | 'replace'): Promise<ContentItem> {
    try {
      await deps.store.write(async (trx) => {
        const holder = await items.findByName(item.name, trx);
        if (holder && holder.id !== item.id) throw taken(item.name);
        if (!(await items[write](trx, item))) throw notFound(item.id);
      });
    } catch (error) {
      if (error instanceof TouchpointError) throw error;
      // Another writer took the name between the check and the write (PostgreSQL): the unique index refused this one.
      const holder = await items.findByName(item.name);
      if (holder && holder.id !== item.id) throw taken(item.name);
      throw error;
    }
    return item;
  }

  const fields = (input: ContentInput) => ({ name: input.name, description: input.description ?? null, variants: input.variants });

  return {
    list: (page) => items.list(page),
    get: (idOrName) => items.find(idOrName),
    find,
    async create(input) {
      const checked = await checkContent(engines, input);
      const now = deps.now();
      return save({ id: deps.newId(), ...fields(checked), createdAt: now, updatedAt: now }, 'insert');
    },
    async update(idOrName, input) {
      const checked = await checkContent(engines, input);
      const current = await find(idOrName);
      return save({ ...current, ...fields(checked), updatedAt: deps.now() }, 'replace');
    },
    async remove(idOrName) {
      const item = await find(idOrName);
      const journeys = (await deps.isReferenced?.(item.id)) ?? [];
      if (journeys.length > 0) {
        throw new TouchpointError('TP_CONTENT_IN_USE', `Content ${item.name} is used by the journeys ${journeys.join(', ')}; change those first.`, {
          journeys,
        });
      }
      await deps.store.write((trx) => items.remove(trx, item.id));
    },
    render: (item, channel, scope) => renderVariant(engines, item, channel, scope),
    async renderJson(value, scope) {
      const item: ContentItem = { id: '', name: '(webhook step)', description: null, variants: { webhook: { payload: value } }, createdAt: 0, updatedAt: 0 };
      return (await renderVariant(engines, item, 'webhook', scope)).variant.payload;
    },
    async jsonTemplateProblems(value) {
      const problems = await templateProblems(engines, { webhook: { payload: value } });
      return problems.map((p) => formatTemplateProblem({ ...p, pointer: p.pointer.replace(/^\/variants\/webhook\/payload/, '') }));
    },
    async preview(idOrName, profileId, channel, extras = {}) {
      const item = await find(idOrName);
      const profile = await deps.profileScope(profileId);
      if (!profile) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(profileId)}.`);
      return renderVariant(engines, item, channel, { ...extras, profile });
    },
  };
}
