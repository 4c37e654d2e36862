/** What dunning needs from the store (kept apart from ports.ts so features merge cleanly). */
import type { UtilityType } from '../../domain/sms/dunning.js';

export interface DunningPlanRecord {
  id: string;
  name: string;
  accountId: string;
  currency: string;
  thresholdMinor: number;
  stages: string[];
  maxPerPeriod: number;
  periodDays: number;
  minIntervalHours: number;
  windowFrom: string | null;
  windowTo: string | null;
  sender: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface DunningDebtorRecord {
  id: string;
  planId: string;
  reference: string;
  phone: string;
  e164: string | null;
  name: string;
  amountMinor: number;
  currency: string;
  dueDate: string;
  utility: UtilityType;
  status: 'open' | 'paid';
  openedAt: Date;
  paidAt: Date | null;
  updatedAt: Date;
}

export interface DunningRunRecord {
  id: string;
  planId: string;
  at: Date;
  by: string;
  summary: Record<string, unknown>;
}

export interface DunningNoticeRecord {
  id: string;
  debtorId: string;
  runId: string;
  level: number;
  at: Date;
  messageId: string;
  amountMinor: number;
  body: string;
}

export interface DunningStore {
  insertPlan(p: DunningPlanRecord): Promise<void>;
  updatePlan(
    id: string,
    patch: Partial<Omit<DunningPlanRecord, 'id' | 'createdAt' | 'createdBy'>>,
  ): Promise<void>;
  planById(id: string): Promise<DunningPlanRecord | undefined>;
  planByName(name: string): Promise<DunningPlanRecord | undefined>;
  plans(): Promise<DunningPlanRecord[]>;
  debtorsByReference(planId: string, references: string[]): Promise<DunningDebtorRecord[]>;
  /** Inserts new debtors and replaces the fields of existing ones (by id). */
  saveDebtors(rows: DunningDebtorRecord[]): Promise<void>;
  debtorById(id: string): Promise<DunningDebtorRecord | undefined>;
  /** A plan's debtors ordered by reference; `after` pages by reference. */
  debtors(
    planId: string,
    q: { status?: 'open' | 'paid'; limit: number; offset: number },
  ): Promise<DunningDebtorRecord[]>;
  /** Every debtor of a plan (open and paid), ordered by reference. */
  planDebtors(planId: string): Promise<DunningDebtorRecord[]>;
  /** Notices of these debtors, oldest first. */
  noticesOf(debtorIds: string[]): Promise<DunningNoticeRecord[]>;
  insertNotice(n: DunningNoticeRecord): Promise<void>;
  insertRun(r: DunningRunRecord): Promise<void>;
  updateRun(id: string, summary: Record<string, unknown>): Promise<void>;
  runs(planId: string, q: { limit: number; offset: number }): Promise<DunningRunRecord[]>;
  transaction<T>(fn: (tx: DunningStore) => Promise<T>): Promise<T>;
}
