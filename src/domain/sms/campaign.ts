/**
 * Campaign rules: which state changes are allowed, how message counts read as progress, and the
 * per-campaign throttle (a token bucket). Pure: time comes in as milliseconds.
 */

export const CAMPAIGN_STATES = ['draft', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel' | 'complete';

const NEXT: Readonly<Record<CampaignAction, Partial<Record<CampaignState, CampaignState>>>> = {
  start: { draft: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  cancel: { draft: 'cancelled', running: 'cancelled', paused: 'cancelled' },
  complete: { running: 'completed' },
};

/**
 * The state after `action`, or undefined when it is not allowed from `state`.
 * @example campaignTransition('draft', 'start') // 'running'
 */
export function campaignTransition(state: CampaignState, action: CampaignAction): CampaignState | undefined {
  return NEXT[action][state];
}

/** What a campaign's messages have come to. */
export interface CampaignProgress {
  total: number;
  queued: number;
  submitted: number;
  delivered: number;
  failed: number;
  uncertain: number;
  cancelled: number;
}

/**
 * Progress from message counts by message status: failed takes in expired and rejected; a
 * campaign is done sending when nothing is queued.
 */
export function campaignProgress(counts: Readonly<Partial<Record<string, number>>>): CampaignProgress {
  const n = (s: string) => counts[s] ?? 0;
  const p = {
    queued: n('queued') + n('accepted'),
    submitted: n('submitted'),
    delivered: n('delivered'),
    failed: n('failed') + n('expired') + n('rejected'),
    uncertain: n('uncertain'),
    cancelled: n('cancelled'),
  };
  const total = Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
  return { total, ...p };
}

/** A token bucket: `perSec` messages a second, bursts of at most one second's worth. */
export interface Bucket {
  tokens: number;
  atMs: number;
}

/** The bucket refilled to `nowMs`. */
export function refill(bucket: Bucket, perSec: number, nowMs: number): Bucket {
  const capacity = Math.max(1, perSec);
  const tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.atMs) * perSec) / 1000);
  return { tokens, atMs: Math.max(nowMs, bucket.atMs) };
}

/** Whole messages the bucket allows now. */
export function allowance(bucket: Bucket): number {
  return Math.floor(bucket.tokens + 1e-9);
}

/** When the bucket (refilled at `bucket.atMs`) next holds one whole token. */
export function nextTokenAt(bucket: Bucket, perSec: number): number {
  if (bucket.tokens >= 1) return bucket.atMs;
  return bucket.atMs + Math.ceil(((1 - bucket.tokens) * 1000) / perSec);
}
