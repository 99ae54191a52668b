/** Sources: routes of this part of the console. */
import type { RouteDef } from '../route.js';
import { SourcesPage } from './sources-page.js';

export const sourcesRoutes: RouteDef[] = [{ pattern: '/sources', render: () => <SourcesPage /> }];
