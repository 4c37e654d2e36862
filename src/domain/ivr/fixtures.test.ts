/** Builders and a call driver shared by the IVR tests (no tests here). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CallContext, CallEnvironment, CallState } from './call-state.js';
import type { IvrCommand, IvrEvent } from './events.js';
import type { Flow } from './flow.js';
import { startCall, step } from './interpreter.js';
import { assertFlow } from './validation.js';

/** Monday 2026-11-23 15:00 UTC = 10:00 in New York. */
export const T0 = Date.UTC(2026, 10, 23, 15, 0);

/** A valid flow from nodes (the first node is the start); throws if the test flow itself is invalid. */
export function flowOf(nodes: Record<string, unknown>, extra: Record<string, unknown> = {}): Flow {
  return assertFlow({ version: 1, name: 'test', start: Object.keys(nodes)[0], nodes, ...extra });
}

/** A flow document from docs/ivr-examples. */
export function example(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../../docs/ivr-examples/${name}.json`, import.meta.url), 'utf8'),
  );
}

export const EXAMPLES = ['utility-main-menu', 'card-payment', 'gas-emergency'];

export function context(over: Partial<CallContext> = {}): CallContext {
  return { callId: 'c1', caller: '+12125550143', dnis: '+18005550000', now: T0, language: 'en', ...over };
}

type Play = Extract<IvrCommand, { type: 'play' }>;

/**
 * Drives one call through startCall/step. After every step the state goes through JSON and back
 * (it must come back equal), and the driver continues from the copy, as a resumed call would.
 * It also checks that at most one timer is running at any time.
 */
export class CallDriver {
  state: CallState;
  last: IvrCommand[];
  all: IvrCommand[] = [];
  now: number;
  readonly timers = new Set<string>();

  constructor(
    flow: Flow,
    over: Partial<CallContext> = {},
    readonly env: CallEnvironment = {},
  ) {
    const ctx = context(over);
    this.now = ctx.now;
    const r = startCall(flow, { ...ctx, allowTransfer: ctx.allowTransfer ?? env.allowTransfer });
    this.state = this.roundTrip(r.state);
    this.last = r.commands;
    this.track(r.commands);
  }

  private roundTrip(state: CallState): CallState {
    const copy = JSON.parse(JSON.stringify(state)) as CallState;
    // The flow is validated JSON and never changes; comparing it as text keeps the property tests fast.
    assert.deepEqual({ ...copy, flow: null }, { ...state, flow: null }, 'state survives a JSON round trip');
    assert.equal(JSON.stringify(copy.flow), JSON.stringify(state.flow));
    return copy;
  }

  private track(commands: IvrCommand[]): void {
    this.all.push(...commands);
    for (const c of commands) {
      if (c.type === 'start_timer') this.timers.add(c.timerId);
      if (c.type === 'cancel_timer') assert.ok(this.timers.delete(c.timerId), `cancel of a running timer`);
    }
    assert.ok(this.timers.size <= 1, `at most one timer runs (${[...this.timers].join(', ')})`);
  }

  send(event: IvrEvent | Record<string, unknown>, advanceSec = 1): IvrCommand[] {
    this.now += advanceSec * 1000;
    if (event.type === 'timeout') this.timers.delete(String(event.timerId));
    const r = step(this.state, event as IvrEvent, this.now, this.env);
    this.state = this.roundTrip(r.state);
    this.last = r.commands;
    this.track(r.commands);
    return r.commands;
  }

  /** Each character as a digit event; returns every command they caused. */
  digits(keys: string): IvrCommand[] {
    return [...keys].flatMap((digit) => this.send({ type: 'digit', digit }));
  }

  lastPlay(): Play {
    const play = [...this.all].reverse().find((c): c is Play => c.type === 'play');
    assert.ok(play, 'a play command was sent');
    return play;
  }

  playDone(): IvrCommand[] {
    return this.send({ type: 'playback_done', id: this.lastPlay().id });
  }

  /** Fires the one running timer. */
  fireTimer(): IvrCommand[] {
    const [timerId] = [...this.timers];
    assert.ok(timerId, 'a timer is running');
    return this.send({ type: 'timeout', timerId }, 5);
  }

  of<T extends IvrCommand['type']>(type: T, commands = this.all): Extract<IvrCommand, { type: T }>[] {
    return commands.filter((c): c is Extract<IvrCommand, { type: T }> => c.type === type);
  }

  /** The nodes entered so far, in order (the IVR path of the call record). */
  path(): string[] {
    return this.of('log')
      .filter((l) => l.event === 'node')
      .map((l) => l.node ?? '');
  }

  logEvents(): string[] {
    return this.of('log').map((l) => l.event);
  }
}
