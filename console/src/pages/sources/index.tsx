/** Sources: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const sourcesRoutes: RouteDef[] = [{ pattern: '/sources', render: () => <Page title="Sources">{null}</Page> }];
