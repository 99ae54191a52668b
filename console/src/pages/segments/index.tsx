/** Segments: the list, the builder for a new one, and one segment. */
import type { RouteDef } from '../route.js';
import { SegmentList } from './list.js';
import { SegmentPage } from './segment-page.js';

export const segmentsRoutes: RouteDef[] = [
  { pattern: '/segments', render: () => <SegmentList /> },
  { pattern: '/segments/new', render: () => <SegmentPage /> },
  { pattern: '/segments/:id', render: (params) => <SegmentPage id={params.id} /> },
];
