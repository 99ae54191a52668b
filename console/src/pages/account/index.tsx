/** Your account: who you are signed in as, and your own password (every role). */
import type { RouteDef } from '../route.js';
import { AccountPage } from './account-page.js';

export const accountRoutes: RouteDef[] = [{ pattern: '/account', render: () => <AccountPage /> }];
