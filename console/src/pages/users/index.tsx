/** Users: admins only (the sidebar shows it to admins; the API refuses others). */
import type { RouteDef } from '../route.js';
import { UsersPage } from './users-page.js';

export const usersRoutes: RouteDef[] = [{ pattern: '/users', render: () => <UsersPage /> }];
