/**
 * What the IVR administration needs from the store: flows with their versions, the numbers that
 * choose them, and the voicemail messages callers leave. The Store (../ports.ts) carries these repos.
 */
import type { FlowOverride } from '../../domain/ivr/index.js';

/** A flow: the version new calls run and the newest one written. */
export interface IvrFlowRecord {
  id: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  createdBy: string | null;
  createdAt: Date;
  archivedAt: Date | null;
}

/** One version of a flow's document; never changed once written. */
export interface IvrFlowVersionRecord {
  flowId: string;
  version: number;
  document: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
}

/** A dialed number and its flow, with time-based overrides (the domain's FlowBinding). */
export interface IvrNumberRecord {
  id: string;
  /** Digits with an optional leading '+', or '*' for every number without a binding of its own. */
  dnis: string;
  flowId: string;
  overrides: FlowOverride[];
  description: string | null;
  createdAt: Date;
}

/** A message left in a voicemail node. */
export interface VoicemailRecord {
  id: string;
  interactionId: string | null;
  callId: string;
  caller: string;
  dnis: string;
  mailbox: string | null;
  /** The WAV file, relative to the voicemail folder. */
  file: string;
  durationMs: number;
  createdAt: Date;
}

export interface IvrFlowRepo {
  insert(f: IvrFlowRecord): Promise<void>;
  byId(id: string): Promise<IvrFlowRecord | undefined>;
  /** Newest first; archived ones only when asked. */
  list(includeArchived: boolean): Promise<IvrFlowRecord[]>;
  update(id: string, patch: Partial<Omit<IvrFlowRecord, 'id' | 'createdAt'>>): Promise<void>;
  insertVersion(v: IvrFlowVersionRecord): Promise<void>;
  version(flowId: string, version: number): Promise<IvrFlowVersionRecord | undefined>;
  /** Every version of a flow, oldest first. */
  versions(flowId: string): Promise<IvrFlowVersionRecord[]>;
}

export interface IvrNumberRepo {
  insert(n: IvrNumberRecord): Promise<void>;
  byId(id: string): Promise<IvrNumberRecord | undefined>;
  byDnis(dnis: string): Promise<IvrNumberRecord | undefined>;
  list(): Promise<IvrNumberRecord[]>;
  update(id: string, patch: Partial<Omit<IvrNumberRecord, 'id' | 'createdAt'>>): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface VoicemailRepo {
  insert(v: VoicemailRecord): Promise<void>;
  byInteraction(interactionId: string): Promise<VoicemailRecord | undefined>;
  setInteraction(id: string, interactionId: string): Promise<void>;
}
