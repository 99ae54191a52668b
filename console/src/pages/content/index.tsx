/** Content: the library and one item's variants with their previews. */
import type { RouteDef } from '../route.js';
import { ContentPage } from './content-page.js';
import { ContentList } from './list.js';

export const contentRoutes: RouteDef[] = [
  { pattern: '/content', render: () => <ContentList /> },
  { pattern: '/content/:id', render: (params) => <ContentPage id={params.id ?? ''} /> },
];
