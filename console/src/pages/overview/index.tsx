/** Overview: routes of this part of the console. */
import type { RouteDef } from '../route.js';
import { OverviewPage, PERIODS } from './overview-page.js';

const daysOf = (query: URLSearchParams) => {
  const days = Number(query.get('days'));
  return (PERIODS as readonly number[]).includes(days) ? days : 30;
};

export const overviewRoutes: RouteDef[] = [{ pattern: '/', render: (_params, query) => <OverviewPage days={daysOf(query)} /> }];
