/** Every console address, each part's routes from its own folder. */
import { accountRoutes } from './account/index.js';
import { contentRoutes } from './content/index.js';
import { customersRoutes } from './customers/index.js';
import { journeysRoutes } from './journeys/index.js';
import { overviewRoutes } from './overview/index.js';
import { policyRoutes } from './policy/index.js';
import { reportsRoutes } from './reports/index.js';
import type { RouteDef } from './route.js';
import { segmentsRoutes } from './segments/index.js';
import { sourcesRoutes } from './sources/index.js';
import { usersRoutes } from './users/index.js';

export const ROUTES: RouteDef[] = [
  ...overviewRoutes,
  ...customersRoutes,
  ...segmentsRoutes,
  ...journeysRoutes,
  ...policyRoutes,
  ...reportsRoutes,
  ...contentRoutes,
  ...sourcesRoutes,
  ...usersRoutes,
  ...accountRoutes,
];

/** The sidebar, in the order a marketer's day goes. */
export const NAV: { path: string; label: string; adminOnly?: boolean }[] = [
  { path: '/', label: 'Overview' },
  { path: '/customers', label: 'Customers' },
  { path: '/segments', label: 'Segments' },
  { path: '/journeys', label: 'Journeys' },
  { path: '/policy', label: 'Contact policy' },
  { path: '/reports', label: 'Reports' },
  { path: '/content', label: 'Content' },
  { path: '/sources', label: 'Sources' },
  { path: '/users', label: 'Users', adminOnly: true },
  { path: '/account', label: 'Your account' },
];
