/** What the sources API answers. */
export interface Source {
  id: string;
  name: string;
  channel: string;
  writeKeyHint: string;
  createdAt: string;
  rotatedAt: string | null;
}

export interface Volume {
  days: string[];
  sources: { id: string; name: string; channel: string; counts: number[]; total: number }[];
}

export interface Rejection {
  at: string;
  code: string;
  message: string;
  index: number;
}
