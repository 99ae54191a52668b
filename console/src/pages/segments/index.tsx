/** Segments: routes of this part of the console. */
import { Page } from '../../components/ui.js';
import type { RouteDef } from '../route.js';

export const segmentsRoutes: RouteDef[] = [{ pattern: '/segments', render: () => <Page title="Segments">{null}</Page> }];
