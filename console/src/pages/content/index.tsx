/** Content: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const contentRoutes: RouteDef[] = [{ pattern: '/content', render: () => <Page title="Content">{null}</Page> }];
