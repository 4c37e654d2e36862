// The registrar for agent phones (RFC 3261 10.3): digest-authenticated REGISTER, contact bindings
// with expiry, and the source each REGISTER came from, so that calls to a phone behind NAT go back
// through the hole its registrations keep open. Bindings live behind BindingStore: memory here, a
// database later.
import { DigestServer, parseDigest, type DigestAlgorithm, type Ha1Lookup } from './digest.js';
import type { SipEndpoint } from './endpoint.js';
import type { NameAddr } from './headers.js';
import {
  headerValue,
  headerValues,
  readCallId,
  readContacts,
  readCSeq,
  readTo,
  type SipHeader,
} from './message.js';
import type { SipSource } from './transport.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import { formatUri, isSipUri } from './uri.js';
import { randomBytes } from 'node:crypto';

/** One contact bound to an address of record. */
export interface Binding {
  /** `sip:user@domain`, see addressOfRecord. */
  aor: string;
  /** The Contact URI as the phone gave it. */
  contact: string;
  /** Absolute expiry time on the registrar's clock (ms). */
  expiresAt: number;
  /** Call-ID and CSeq of the REGISTER that last wrote it, to reject reordered requests. */
  callId: string;
  cseq: number;
  /** Preference among contacts (0..1), when the phone gave one. */
  q?: number;
  /** Where the REGISTER came from: requests to this contact go here (NAT traversal). */
  source: SipSource;
}

/** Where bindings are kept. Expired ones are never returned. */
export interface BindingStore {
  /** Live bindings of an AOR, most preferred first. */
  lookup(aor: string, now: number): Promise<Binding[]>;
  /** Adds a binding or replaces the one with the same AOR and contact. */
  put(binding: Binding): Promise<void>;
  /** Removes one binding. */
  remove(aor: string, contact: string): Promise<void>;
  /** Removes every binding of an AOR. */
  clear(aor: string): Promise<void>;
}

/** The AOR key: scheme sip, user as given, domain lowercased. */
export function addressOfRecord(user: string, domain: string): string {
  return `sip:${user}@${domain.toLowerCase()}`;
}

/**
 * Bindings in process memory; expired ones are dropped as they are met.
 * @example const store = new MemoryBindingStore(); await store.lookup('sip:alice@hotline', Date.now());
 */
export class MemoryBindingStore implements BindingStore {
  private readonly byAor = new Map<string, Map<string, Binding>>();

  lookup(aor: string, now: number): Promise<Binding[]> {
    const contacts = this.byAor.get(aor);
    if (contacts === undefined) return Promise.resolve([]);
    for (const [contact, b] of contacts) if (b.expiresAt <= now) contacts.delete(contact);
    if (contacts.size === 0) this.byAor.delete(aor);
    const live = [...contacts.values()].sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.expiresAt - a.expiresAt);
    return Promise.resolve(live.map((b) => ({ ...b, source: { ...b.source } })));
  }

  put(binding: Binding): Promise<void> {
    let contacts = this.byAor.get(binding.aor);
    if (contacts === undefined) this.byAor.set(binding.aor, (contacts = new Map<string, Binding>()));
    contacts.set(binding.contact, { ...binding, source: { ...binding.source } });
    return Promise.resolve();
  }

  remove(aor: string, contact: string): Promise<void> {
    const contacts = this.byAor.get(aor);
    contacts?.delete(contact);
    if (contacts?.size === 0) this.byAor.delete(aor);
    return Promise.resolve();
  }

  clear(aor: string): Promise<void> {
    this.byAor.delete(aor);
    return Promise.resolve();
  }

  /** Drops every expired binding; call it now and then so that silent phones free their memory. */
  purge(now: number): void {
    for (const [aor, contacts] of this.byAor) {
      for (const [contact, b] of contacts) if (b.expiresAt <= now) contacts.delete(contact);
      if (contacts.size === 0) this.byAor.delete(aor);
    }
  }
}

/** Options of attachRegistrar. */
export interface RegistrarOptions {
  realm: string;
  /** The stored HA1 of a user for an algorithm; a store with one HA1 per user offers one algorithm. */
  lookupHa1: Ha1Lookup;
  bindings: BindingStore;
  /** Wall clock in ms (Date header, expiry). Default Date.now. */
  now?: () => number;
  /** Key of the nonce HMAC; random per process when absent (nonces then die with it). */
  secret?: Buffer;
  /** Nonce lifetime. Default 5 minutes. */
  nonceTtlMs?: number;
  /**
   * Default MD5 only: deployed phones (baresip 1.0's libre among them) give up on the whole
   * challenge when any WWW-Authenticate names an algorithm they lack, instead of skipping it.
   */
  algorithms?: DigestAlgorithm[];
  /** The domain of AORs; default the To host. */
  domain?: string;
  /** Shortest registration accepted, in seconds (423 below). Default 60. */
  minExpires?: number;
  /** Longer requests are cut to this. Default 3600. */
  maxExpires?: number;
  /** When neither Contact nor Expires says. Default 3600. */
  defaultExpires?: number;
  /** Contacts one AOR may hold. Default 10. */
  maxBindings?: number;
}

interface ContactChange {
  contact: string;
  expires: number;
  q: number | undefined;
}

type Outcome = { status: number; reason: string; headers?: SipHeader[] };

/**
 * Answers REGISTER requests arriving at endpoint; returns a function that detaches it.
 * @example attachRegistrar(sip, { realm: 'hotline', lookupHa1, bindings: new MemoryBindingStore() })
 */
export function attachRegistrar(endpoint: SipEndpoint, options: RegistrarOptions): () => void {
  const now = options.now ?? Date.now;
  const digest = new DigestServer({
    realm: options.realm,
    secret: options.secret ?? randomBytes(32),
    now,
    ...(options.nonceTtlMs === undefined ? {} : { nonceTtlMs: options.nonceTtlMs }),
    algorithms: options.algorithms ?? ['MD5'],
  });
  const limits = {
    min: options.minExpires ?? 60,
    max: options.maxExpires ?? 3600,
    fallback: options.defaultExpires ?? 3600,
    bindings: options.maxBindings ?? 10,
  };

  const challenge = (stale: boolean): Outcome => ({
    status: 401,
    reason: 'Unauthorized',
    headers: digest.challenge(stale).map((value) => ({ name: 'WWW-Authenticate', value })),
  });

  const authenticate = async (tx: ServerTransaction): Promise<Outcome | string> => {
    // Credentials for other realms (a proxy's) are not ours to check.
    const mine = headerValues(tx.request, 'Authorization').find((v) => realmOf(v) === options.realm);
    if (mine === undefined) return challenge(false);
    const verdict = await digest.verify(mine, 'REGISTER', tx.request.uri, options.lookupHa1);
    if (verdict.result === 'ok') return verdict.username;
    return challenge(verdict.result === 'stale');
  };

  const busy = new Map<string, Promise<void>>();

  const register = async (tx: ServerTransaction): Promise<Outcome> => {
    const auth = await authenticate(tx);
    if (typeof auth !== 'string') return auth;
    const req = tx.request;
    const to = readTo(req);
    if (!to.ok || !isSipUri(to.value.uri) || to.value.uri.user === null) return bad('Bad To');
    // An agent registers its own phone only: the AOR's user is the authenticated user.
    if (to.value.uri.user !== auth) return { status: 403, reason: 'Forbidden' };
    const aor = addressOfRecord(auth, options.domain ?? to.value.uri.host);
    // One REGISTER per AOR at a time: the store is read, checked and written across awaits.
    const previous = busy.get(aor) ?? Promise.resolve();
    const turn = previous.then(() => bind(tx, aor));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    busy.set(aor, settled);
    void settled.then(() => {
      if (busy.get(aor) === settled) busy.delete(aor);
    });
    return turn;
  };

  const bind = async (tx: ServerTransaction, aor: string): Promise<Outcome> => {
    const req = tx.request;
    const callId = readCallId(req);
    const cseq = readCSeq(req);
    const contacts = readContacts(req);
    if (!callId.ok || !cseq.ok || !contacts.ok) return bad('Bad Contact, Call-ID or CSeq');
    const expiresHeader = headerValue(req, 'Expires');
    const headerExpires = expiresHeader === undefined ? undefined : seconds(expiresHeader);
    if (expiresHeader !== undefined && headerExpires === undefined) return bad('Bad Expires');
    const at = now();
    if (contacts.value === '*') {
      // RFC 3261 10.3 step 6: "*" only alone and only with Expires: 0.
      if (headerExpires !== 0) return bad('Contact * needs Expires: 0');
      const existing = await options.bindings.lookup(aor, at);
      if (existing.some((b) => b.callId === callId.value && b.cseq >= cseq.value.seq)) return outOfOrder();
      await options.bindings.clear(aor);
      return ok(options.bindings, aor, at);
    }
    const changes: ContactChange[] = [];
    for (const c of contacts.value) {
      const expires = contactExpires(c, headerExpires, limits.fallback);
      if (expires === undefined) return bad('Bad expires parameter');
      if (expires > 0 && expires < limits.min) {
        return {
          status: 423,
          reason: 'Interval Too Brief',
          headers: [{ name: 'Min-Expires', value: String(limits.min) }],
        };
      }
      const q = c.params.get('q');
      changes.push({
        contact: formatUri(c.uri),
        expires: Math.min(expires, limits.max),
        q: q ? Number(q) : undefined,
      });
    }
    const existing = new Map((await options.bindings.lookup(aor, at)).map((b) => [b.contact, b]));
    for (const change of changes) {
      const old = existing.get(change.contact);
      if (old !== undefined && old.callId === callId.value && old.cseq >= cseq.value.seq) return outOfOrder();
    }
    const added = changes.filter((c) => c.expires > 0 && !existing.has(c.contact)).length;
    const removed = changes.filter((c) => c.expires === 0 && existing.has(c.contact)).length;
    if (existing.size + added - removed > limits.bindings)
      return { status: 403, reason: 'Too Many Contacts' };
    for (const change of changes) {
      if (change.expires === 0) await options.bindings.remove(aor, change.contact);
      else {
        const binding: Binding = {
          aor,
          contact: change.contact,
          expiresAt: at + change.expires * 1000,
          callId: callId.value,
          cseq: cseq.value.seq,
          source: { ...tx.source },
          ...(change.q === undefined || !Number.isFinite(change.q) ? {} : { q: change.q }),
        };
        await options.bindings.put(binding);
      }
    }
    return ok(options.bindings, aor, at);
  };

  return endpoint.onRequest((tx) => {
    if (tx.method !== 'REGISTER') return false;
    return register(tx).then((out) => tx.respond(out.status, out.reason, out.headers ?? []));
  });
}

async function ok(store: BindingStore, aor: string, at: number): Promise<Outcome> {
  const live = await store.lookup(aor, at);
  const headers: SipHeader[] = live.map((b) => ({
    name: 'Contact',
    value: `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - at) / 1000))}`,
  }));
  headers.push({ name: 'Date', value: new Date(at).toUTCString() });
  return { status: 200, reason: 'OK', headers };
}

function bad(reason: string): Outcome {
  return { status: 400, reason };
}

// RFC 3261 10.3 step 7: a REGISTER older than what wrote the binding must not undo it.
function outOfOrder(): Outcome {
  return { status: 500, reason: 'Out Of Order' };
}

function seconds(text: string): number | undefined {
  const t = text.trim();
  return /^\d{1,10}$/.test(t) ? Number(t) : undefined;
}

function contactExpires(
  contact: NameAddr,
  headerExpires: number | undefined,
  fallback: number,
): number | undefined {
  const param = contact.params.get('expires');
  if (param !== undefined) return param === null ? undefined : seconds(param);
  return headerExpires ?? fallback;
}

function realmOf(authorization: string): string | undefined {
  return parseDigest(authorization)?.params.get('realm');
}
