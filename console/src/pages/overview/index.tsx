/** Overview: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const overviewRoutes: RouteDef[] = [{ pattern: '/', render: () => <Page title="Overview">{null}</Page> }];
