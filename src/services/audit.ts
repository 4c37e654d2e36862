import type { Clock, Store } from './ports.js';
import type { Actor } from './auth/principal.js';

/** Writes "who changed what" to the audit log. */
export class AuditTrail {
  constructor(private readonly clock: Clock) {}

  /** Appends one entry; call it inside the transaction that makes the change. */
  async record(
    store: Store,
    actor: Actor,
    action: string,
    target: { type: string; id: string } | null,
    details: Record<string, unknown> | null = null,
    ip: string | null = null,
  ): Promise<void> {
    await store.audit.append({
      at: new Date(this.clock.now()),
      actorType: actor.kind,
      actorId: actor.kind === 'user' ? actor.userId : actor.kind === 'api_key' ? actor.keyId : null,
      actorName: actor.kind === 'user' ? actor.username : actor.kind === 'api_key' ? actor.name : 'system',
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      details,
      ip,
    });
  }
}
