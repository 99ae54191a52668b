/** Segments as GET /api/segments answers them. */
import type { Cond } from './condition-model.js';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  kind: 'dynamic' | 'static';
  condition: Cond | null;
  size: number;
  status: string;
  progress: number;
  createdAt: string;
  updatedAt: string;
}
