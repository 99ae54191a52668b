/** Reports: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const reportsRoutes: RouteDef[] = [{ pattern: '/reports', render: () => <Page title="Reports">{null}</Page> }];
