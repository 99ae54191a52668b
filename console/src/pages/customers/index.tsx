/** Customers: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const customersRoutes: RouteDef[] = [{ pattern: '/customers', render: () => <Page title="Customers">{null}</Page> }];
