/** Journeys: the list and one journey's flow. */
import type { RouteDef } from '../route.js';
import { JourneyPage } from './journey-page.js';
import { JourneyList } from './list.js';

export const journeysRoutes: RouteDef[] = [
  { pattern: '/journeys', render: () => <JourneyList /> },
  { pattern: '/journeys/:id', render: (params) => <JourneyPage id={params.id ?? ''} /> },
];
