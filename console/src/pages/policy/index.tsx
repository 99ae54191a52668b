/** Contact policy: the document, its versions and the simulator. */
import type { RouteDef } from '../route.js';
import { PolicyPage } from './policy-page.js';

export const policyRoutes: RouteDef[] = [{ pattern: '/policy', render: () => <PolicyPage /> }];
