/** What happens when each kind of deadline passes (tick processes them in time order). */
import type { InteractionRecord, Timer } from './model.js';
import { miss } from './offers.js';
import type { Operation } from './operation.js';
import type { RoutingState } from './state.js';
import { place, unplace } from './waiting-room.js';
import { endWrapUp } from './work.js';

/** Applies one due deadline at its own time `t.at` (matching follows once, after all of them). */
export function expire(s: RoutingState, t: Timer, op: Operation): void {
  const ix = t.interaction;
  switch (t.kind) {
    case 'reservation':
      if (t.reservation) {
        t.reservation.timer = null;
        miss(s, t.reservation, 'timeout', t.at, op);
      }
      return;
    case 'wrap_up':
      ix.wrapUpTimer = null;
      if (ix.agent) endWrapUp(s, ix, ix.agent, 'timer', t.at, op);
      return;
    case 'overflow':
    case 'max_wait':
      if (t.kind === 'overflow') ix.overflowTimer = null;
      else ix.maxWaitTimer = null;
      replace(s, ix, t.at, op);
      return;
    case 'sticky':
      // The window closed: from now on every eligible agent sees the interaction.
      ix.stickyTimer = null;
      ix.sticky = false;
      if (ix.phase === 'waiting' && ix.box) replace(s, ix, t.at, op);
      return;
  }
}

/** Takes a waiting interaction out and puts it back: due steps apply, stickiness is re-read. */
function replace(s: RoutingState, ix: InteractionRecord, at: number, op: Operation): void {
  unplace(s, ix, op);
  place(s, ix, at, op);
}
