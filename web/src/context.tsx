import { createContext, useContext } from 'react';
import type { Api } from './api';
import type { EventStream } from './events';
import type { Me } from './types';

export interface AppContext {
  api: Api;
  events: EventStream;
  me: Me;
  /** Shows an API error in plain words. */
  fail: (err: unknown) => void;
}

export const Ctx = createContext<AppContext | null>(null);

/** The signed-in user's API client, event stream and identity. */
export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside the signed-in app');
  return c;
}
