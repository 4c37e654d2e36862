// Marketing opt-outs by number: set by a STOP keyword (or the API), checked by the outbox.
import type { Clock } from '../ports.js';
import type { MoStore, OptOutRecord } from './mo-ports.js';
import { DomainError } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import type { SmsType } from '../../domain/sms/index.js';

/** Numbers that said STOP, and the rule the outbox applies to them. */
export class SmsOptOuts {
  constructor(
    private readonly store: MoStore,
    private readonly clock: Clock,
    private readonly defaultCountry: string,
  ) {}

  /** Which of these E.164 numbers opted out (for bulk sends and campaigns). */
  among(phones: readonly string[]): Promise<Set<string>> {
    return phones.length ? this.store.optOuts.among(phones) : Promise.resolve(new Set());
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return (await this.store.optOuts.get(phone)) !== undefined;
  }

  /**
   * The outbox's send policy: marketing to an opted-out number is refused with
   * SMS_RECIPIENT_OPTED_OUT; every other type (notification, dispatch, otp, alarm) still goes.
   */
  readonly check = async (recipient: string, type: SmsType): Promise<void> => {
    if (type !== 'marketing') return;
    if (await this.isOptedOut(recipient)) {
      throw new DomainError('SMS_RECIPIENT_OPTED_OUT', 'This number opted out of marketing messages.', {
        recipient,
      });
    }
  };

  async optOut(
    phone: string,
    source: 'keyword' | 'api',
    keyword: string | null = null,
  ): Promise<OptOutRecord> {
    const r: OptOutRecord = {
      phone: toE164(phone, this.defaultCountry),
      at: new Date(this.clock.now()),
      source,
      keyword,
    };
    await this.store.optOuts.upsert(r);
    return r;
  }

  /** True when the number had opted out. */
  optIn(phone: string): Promise<boolean> {
    return this.store.optOuts.remove(toE164(phone, this.defaultCountry));
  }

  async get(phone: string): Promise<OptOutRecord | undefined> {
    return this.store.optOuts.get(toE164(phone, this.defaultCountry));
  }

  list(q: { limit: number; offset: number }): Promise<OptOutRecord[]> {
    return this.store.optOuts.list(q);
  }
}
