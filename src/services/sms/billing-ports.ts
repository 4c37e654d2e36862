/** What SMS accounts and billing need from the store (kept apart from ports.ts so features merge cleanly). */

export type SmsAccountKind = 'department' | 'user' | 'api_client' | 'internal';
export type SmsBillingMode = 'prepaid' | 'quota' | 'unbilled';
export type SmsMemberType = 'user' | 'api_key';

export interface SmsAccountRecord {
  id: string;
  name: string;
  kind: SmsAccountKind;
  billing: SmsBillingMode;
  /** Prepaid balance, minor units (the sum of the account's ledger). */
  balance: number;
  monthlyQuota: number | null;
  quotaMonth: string | null;
  quotaUsed: number;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SmsAccountMember {
  principalType: SmsMemberType;
  principalId: string;
}

export interface SmsPriceRecord {
  id: string;
  prefix: string;
  route: string | null;
  perSegment: number;
}

export interface SmsLedgerRecord {
  id: number;
  accountId: string;
  at: Date;
  kind: 'charge' | 'refund' | 'topup';
  /** Signed minor units: charges negative. */
  amount: number;
  segments: number;
  messageId: string | null;
  messageType: string | null;
  note: string | null;
  createdBy: string;
}

export interface SmsBillingRepo {
  insertAccount(a: SmsAccountRecord): Promise<void>;
  accountById(id: string): Promise<SmsAccountRecord | undefined>;
  accountByName(name: string): Promise<SmsAccountRecord | undefined>;
  listAccounts(): Promise<SmsAccountRecord[]>;
  updateAccount(
    id: string,
    patch: Partial<
      Pick<SmsAccountRecord, 'name' | 'kind' | 'billing' | 'monthlyQuota' | 'currency' | 'updatedAt'>
    >,
  ): Promise<void>;
  /** The account a user or API key sends on. */
  accountOf(m: SmsAccountMember): Promise<SmsAccountRecord | undefined>;
  members(accountId: string): Promise<SmsAccountMember[]>;
  /** Links these principals to the account (moving them from any other). */
  addMembers(accountId: string, members: SmsAccountMember[]): Promise<void>;
  removeMember(m: SmsAccountMember): Promise<boolean>;
  /** Takes `amount` from the balance only if it suffices, atomically; the new balance or undefined. */
  debitIfCovered(id: string, amount: number): Promise<number | undefined>;
  /** Adds (or with a negative amount takes) without a check; the new balance. */
  adjustBalance(id: string, amount: number): Promise<number>;
  /**
   * Adds `amount` to what the account used in `month` (restarting the count in a new month) only
   * while it stays within `quota`, atomically. True when taken.
   */
  useQuota(id: string, month: string, amount: number, quota: number): Promise<boolean>;
  /** Gives back quota used in `month` (nothing when the account has moved on to another month). */
  releaseQuota(id: string, month: string, amount: number): Promise<void>;
  appendLedger(row: Omit<SmsLedgerRecord, 'id'>): Promise<void>;
  /** Many rows in multi-row inserts (bulk sends and campaigns). */
  appendLedgerMany(rows: readonly Omit<SmsLedgerRecord, 'id'>[]): Promise<void>;
  ledgerOfMessage(messageId: string): Promise<SmsLedgerRecord[]>;
  /** Sum of amounts before `before`. */
  ledgerSumBefore(accountId: string, before: Date): Promise<number>;
  ledger(accountId: string, from: Date, to: Date): Promise<SmsLedgerRecord[]>;
  prices(): Promise<SmsPriceRecord[]>;
  /** Sets the price of (prefix, route), replacing an existing one. */
  putPrice(p: SmsPriceRecord): Promise<SmsPriceRecord>;
  deletePrice(id: string): Promise<boolean>;
}
