/** Journeys: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const journeysRoutes: RouteDef[] = [{ pattern: '/journeys', render: () => <Page title="Journeys">{null}</Page> }];
