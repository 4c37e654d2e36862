// The SMSC simulator's fault convention: the destination number chooses what goes wrong, so a
// test (or a person with a phone form) can ask for a fault without configuring anything. Patterned
// on the Melrose Labs simulator. Only the last four digits count; every other number is accepted
// and gets a DELIVRD receipt.
import type { MessageState } from './receipt.js';
import { SmppStatus } from './status.js';

/** What the simulator does with one submit_sm. */
export type Fault =
  | { kind: 'deliver' }
  | { kind: 'no-response' }
  | { kind: 'status'; status: number }
  | { kind: 'slow' }
  | { kind: 'early-receipt' }
  | { kind: 'no-receipt' }
  | { kind: 'receipt'; state: MessageState; stat: string; error: string };

/** The convention, by the destination's last four digits. */
export const FAULT_SUFFIXES: Readonly<Record<string, { fault: Fault; meaning: string }>> = {
  '0001': { fault: { kind: 'no-response' }, meaning: 'no submit_sm_resp at all' },
  '0002': { fault: { kind: 'no-receipt' }, meaning: 'accepted, no receipt ever' },
  '0014': {
    fault: { kind: 'status', status: SmppStatus.MESSAGE_QUEUE_FULL },
    meaning: 'submit_sm_resp ESME_RMSGQFUL (0x14)',
  },
  '0033': { fault: { kind: 'early-receipt' }, meaning: 'receipt sent before the submit_sm_resp' },
  '0045': {
    fault: { kind: 'status', status: SmppStatus.SUBMIT_FAILED },
    meaning: 'submit_sm_resp ESME_RSUBMITFAIL (0x45)',
  },
  '0058': {
    fault: { kind: 'status', status: SmppStatus.THROTTLED },
    meaning: 'submit_sm_resp ESME_RTHROTTLED (0x58)',
  },
  '0097': {
    fault: { kind: 'receipt', state: 'expired', stat: 'EXPIRED', error: '000' },
    meaning: 'accepted, receipt stat:EXPIRED',
  },
  '0098': {
    fault: { kind: 'receipt', state: 'rejected', stat: 'REJECTD', error: '002' },
    meaning: 'accepted, receipt stat:REJECTD',
  },
  '0099': {
    fault: { kind: 'receipt', state: 'undeliverable', stat: 'UNDELIV', error: '001' },
    meaning: 'accepted, receipt stat:UNDELIV',
  },
  '0777': { fault: { kind: 'slow' }, meaning: 'submit_sm_resp after the slow delay' },
};

/** The fault a destination number asks for. */
export function faultFor(destination: string): Fault {
  return FAULT_SUFFIXES[destination.slice(-4)]?.fault ?? { kind: 'deliver' };
}
