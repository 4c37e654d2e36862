/** The SMS API's shapes the console reads (see /api/openapi.json, tags sms, sms-billing, sms dunning). */

// The lists come from the server's own pure domain modules, so they cannot drift.
export { SMS_STATUSES, SMS_TYPES } from '../../../../src/domain/sms/lifecycle.js';
export { CAMPAIGN_STATES } from '../../../../src/domain/sms/campaign.js';
import type { CampaignState } from '../../../../src/domain/sms/campaign.js';

export interface Counts {
  accepted: number;
  submitted: number;
  delivered: number;
  failed: number;
  retried: number;
  uncertain: number;
  failover: number;
}

export interface MonitorRoute {
  name: string;
  driver: string;
  up: boolean;
  detail: string;
  prefixes: string[];
  types: string[];
  inFlight: number;
  waiting: number;
  window: number;
  rate: number;
  lastError: { at: string; reason: string } | null;
  lastMinute: Counts;
  errorRate: number | null;
}

export interface Monitor {
  at: string;
  throughput: Counts;
  lastMinute: Counts;
  errorRate: number | null;
  queue: { priority: number; types: string[]; queued: number }[];
  routes: MonitorRoute[];
  recentFailures: {
    at: string;
    route: string | null;
    reference: string | null;
    errorCode: number | null;
    reason: string;
  }[];
}

export interface Sms {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  encoding: string;
  segments: number;
  type: string;
  priority: number;
  status: string;
  errorCode: number | null;
  createdAt: string;
  submittedAt: string | null;
  doneAt: string | null;
  accountId: string | null;
  costMinor: number;
  sendAt: string | null;
  validUntil: string | null;
  campaignId: string | null;
}

export interface LedgerEntry {
  id: number;
  accountId: string;
  at: string;
  kind: 'charge' | 'refund' | 'topup';
  amount: number;
  segments: number;
  messageId: string | null;
  messageType: string | null;
  note: string | null;
  createdBy: string;
}

export interface SmsDetail extends Sms {
  parts: {
    seq: number;
    status: string;
    smscMessageId: string | null;
    route?: string | null;
    errorCode: number | null;
    submittedAt: string | null;
    doneAt: string | null;
  }[];
  events: { at: string; type: string; details: Record<string, unknown> | null }[];
  ledger: LedgerEntry[];
}

export interface Progress {
  total: number;
  queued: number;
  submitted: number;
  delivered: number;
  failed: number;
  uncertain: number;
  cancelled: number;
}

export interface Campaign {
  id: string;
  name: string;
  template: string;
  type: string;
  sender: string;
  throttlePerSec: number | null;
  state: CampaignState;
  total: number;
  rejected: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress?: Progress;
}

export interface RecipientError {
  index: number;
  to: string;
  code: string;
  message: string;
}

export interface Account {
  id: string;
  name: string;
  kind: 'department' | 'user' | 'api_client' | 'internal';
  billing: 'prepaid' | 'quota' | 'unbilled';
  balance: number;
  monthlyQuota: number | null;
  quotaMonth: string | null;
  quotaUsed: number;
  currency: string;
  available: number | null;
}

export interface Price {
  id: string;
  prefix: string;
  route: string | null;
  perSegment: number;
}

export interface Statement {
  accountName: string;
  currency: string;
  month: string;
  openingBalance: number;
  charges: number;
  refunds: number;
  topUps: number;
  closingBalance: number;
  byType: {
    type: string;
    messages: number;
    segments: number;
    charged: number;
    refunded: number;
    refundedSegments: number;
  }[];
}

export interface DunningPlan {
  id: string;
  name: string;
  accountId: string;
  currency: string;
  thresholdMinor: number;
  stages: string[];
  maxPerPeriod: number;
  periodDays: number;
  minIntervalHours: number;
  window: { from: string; to: string } | null;
  sender: string | null;
}

export interface DunningPreview {
  notices: {
    debtorId: string;
    reference: string;
    name: string;
    phone: string;
    level: number;
    amountMinor: number;
    text: string;
    segments: number;
    cost: number;
    sendAt: string;
    deferred: boolean;
  }[];
  skipped: { debtorId: string; reference: string; reason: string; retryAt: string | null }[];
  totals: { notices: number; segments: number; cost: number; skipped: Record<string, number> };
}

export interface ImportResult {
  accepted: number;
  created: number;
  updated: number;
  settled: number;
  reopened: number;
  rejected: { line: number; reference: string | null; field: string; reason: string }[];
  warnings: { line: number; reference: string | null; field: string; reason: string }[];
}

export interface ClientWebhook {
  accountId: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

/** Minor units as money: 1234 EUR → "12.34 EUR". */
export function money(minor: number, currency: string): string {
  const d = minorDigits(currency);
  return `${(minor / 10 ** d).toFixed(d)} ${currency}`;
}

/** A decimal amount typed by a person ("12.5") in minor units of the currency; NaN when not a number. */
export function toMinor(amount: string, currency: string): number {
  const n = Number(amount.replace(',', '.'));
  return Number.isFinite(n) ? Math.round(n * 10 ** minorDigits(currency)) : Number.NaN;
}

/** The current month in UTC, "2026-11" (ledgers and statements are per UTC month). */
export function thisMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** 0.0123 → "1.2%"; null → "—". */
export function percent(rate: number | null, none: string): string {
  return rate === null ? none : `${(rate * 100).toFixed(1)}%`;
}

/** Saves a Blob as a file download (exports need the session header, so no plain link). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
