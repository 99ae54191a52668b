/** Customers: the search and the Customer 360. */
import type { RouteDef } from '../route.js';
import { CustomerPage } from './customer-page.js';
import { CustomersPage } from './search-page.js';

export const customersRoutes: RouteDef[] = [
  { pattern: '/customers', render: (_params, query) => <CustomersPage q={query.get('q') ?? ''} /> },
  { pattern: '/customers/:id', render: (params) => <CustomerPage key={params.id} id={params.id!} /> },
];
