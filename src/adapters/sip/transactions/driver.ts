// The thin, impure half of a transaction: carries out a state machine's actions with a Scheduler
// and a send function, and turns deliveries and failures into events for the transaction user.
import { EventEmitter } from 'node:events';
import type { SipMessage } from '../message.js';
import type { SipTarget } from '../transport.js';
import type { Scheduler, TimerName, TransactionAction, TransactionFailure } from './timers.js';

/** What every transaction state machine offers its driver. */
export interface TransactionMachine {
  readonly state: string;
  fire(timer: TimerName, now: number): TransactionAction[];
  transportError(): TransactionAction[];
}

/** What a driver needs from the transaction layer. */
export interface DriverContext {
  scheduler: Scheduler;
  send(message: SipMessage, target: SipTarget): Promise<void>;
  /** Called once, when the transaction terminates. */
  forget(key: string): void;
}

/** Events every transaction emits. */
export interface TransactionEvents {
  /** The state changed (to the state given). */
  state: [state: string];
  /** Timer B, F or H fired, or the transport failed. */
  failed: [reason: TransactionFailure];
  terminated: [];
}

/** Runs a machine's actions; subclasses say what a delivery means. */
export abstract class TransactionDriver<
  M extends TransactionMachine,
  E extends Record<keyof E, unknown[]> & TransactionEvents,
> extends EventEmitter<E> {
  private readonly armed = new Map<TimerName, () => void>();
  private lastState: string;

  protected constructor(
    /** The transaction's matching key. */
    readonly key: string,
    protected readonly machine: M,
    protected readonly context: DriverContext,
    /** Where this transaction's messages go. */
    readonly target: SipTarget,
  ) {
    super();
    this.lastState = machine.state;
  }

  /** The machine's current state. */
  get state(): M['state'] {
    return this.machine.state;
  }

  /** Ends the transaction at once, silently (endpoint shutdown). */
  dispose(): void {
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }

  protected abstract deliver(message: SipMessage): void;

  protected now(): number {
    return this.context.scheduler.now();
  }

  protected run(actions: TransactionAction[]): void {
    for (const action of actions) {
      switch (action.kind) {
        case 'send':
          this.context.send(action.message, this.target).then(undefined, () => {
            this.run(this.machine.transportError());
          });
          break;
        case 'arm': {
          this.armed.get(action.timer)?.();
          const timer = action.timer;
          this.armed.set(
            timer,
            this.context.scheduler.at(action.at, () => {
              this.armed.delete(timer);
              this.run(this.machine.fire(timer, this.now()));
            }),
          );
          break;
        }
        case 'disarm':
          this.armed.get(action.timer)?.();
          this.armed.delete(action.timer);
          break;
        case 'deliver':
          this.deliver(action.message);
          break;
        case 'fail':
          this.emitEvent('failed', action.reason);
          break;
        case 'terminate':
          this.dispose();
          this.context.forget(this.key);
          break;
      }
    }
    const state = this.machine.state;
    if (state !== this.lastState) {
      this.lastState = state;
      this.emitEvent('state', state);
      if (state === 'terminated') this.emitEvent('terminated');
    }
  }

  // EventEmitter<E>'s emit cannot see that E includes TransactionEvents; this narrows it once.
  private emitEvent<K extends keyof TransactionEvents>(name: K, ...args: TransactionEvents[K]): void {
    (this as EventEmitter).emit(name, ...args);
  }
}
