/** Each report's charts, by report name. */
import type { ComponentType } from 'preact';
import { AttributionView } from './attribution.js';
import { CrossChannelView } from './cross-channel.js';
import { CubeView } from './cube.js';
import { ExperimentsView } from './experiments.js';
import { FunnelView } from './funnel.js';
import { LifecycleFlowView } from './lifecycle-flow.js';
import { RopoView } from './ropo.js';
import type { ViewProps } from './types.js';

export const VIEWS: Record<string, ComponentType<ViewProps>> = {
  funnel: FunnelView,
  'lifecycle-flow': LifecycleFlowView,
  attribution: AttributionView,
  'cross-channel': CrossChannelView,
  ropo: RopoView,
  cube: CubeView,
  experiments: ExperimentsView,
};
