import type { Clock, Timer } from '../../services/ports.js';

export const systemClock: Clock = { now: () => Date.now() };

// setTimeout fires at most ~24.8 days ahead; a later deadline re-arms when this one fires.
const MAX_DELAY = 2 ** 31 - 1;

/** A Timer on setTimeout, unref'd so it never keeps a stopping process alive. */
export function createSystemTimer(clock: Clock = systemClock): Timer {
  let handle: NodeJS.Timeout | undefined;
  return {
    set(atMs, fn) {
      if (handle) clearTimeout(handle);
      const delay = Math.min(Math.max(0, atMs - clock.now()), MAX_DELAY);
      handle = setTimeout(() => {
        handle = undefined;
        fn();
      }, delay);
      handle.unref();
    },
    clear() {
      if (handle) clearTimeout(handle);
      handle = undefined;
    },
  };
}
