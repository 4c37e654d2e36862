/** Shapes of the recordings search and call history (see /api/openapi.json). */

export interface Pause {
  fromMs: number;
  toMs: number;
}

export interface RecordingListing {
  recordingId: string;
  interactionId: string;
  agentId: string | null;
  agentName: string | null;
  callerNumber: string | null;
  customerId: string | null;
  customerName: string | null;
  queueId: string | null;
  queueName: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  pauses: Pause[];
  wrapUpCode: string | null;
}

export interface HistoryEntry {
  interactionId: string;
  channel: string;
  direction: string;
  status: string;
  outcome: string | null;
  wrapUpCode: string | null;
  fromAddress: string | null;
  subject: string | null;
  customerId: string | null;
  customerName: string | null;
  queueId: string | null;
  queueName: string | null;
  createdAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
  recordings: { id: string; durationMs: number | null }[];
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Cdr {
  id: string;
  direction: 'inbound' | 'outbound';
  fromAddress: string;
  toAddress: string;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  endCause: string;
  sipStatus: number | null;
}

export interface InteractionEvent {
  id: number;
  at: string;
  type: string;
  agentId: string | null;
  details: Record<string, unknown> | null;
}
