/** Policy: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const policyRoutes: RouteDef[] = [{ pattern: '/policy', render: () => <Page title="Policy">{null}</Page> }];
