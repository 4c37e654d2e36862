/**
 * IVR flows stored in the database: each change writes a new immutable version; publishing picks
 * the version new calls run. A call copies its flow when it starts (the interpreter keeps it in its
 * state), so publishing or archiving never changes a call already in the IVR.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { validateFlow, type Flow, type Problem } from '../../domain/ivr/index.js';
import type { AuditTrail } from '../audit.js';
import type { Actor, Principal } from '../auth/principal.js';
import type { Clock, Store } from '../ports.js';
import type { IvrFlowRecord, IvrFlowVersionRecord } from './ports.js';

/** A flow with the versions written so far (without their documents). */
export interface IvrFlowView extends IvrFlowRecord {
  versions: { version: number; createdBy: string | null; createdAt: Date }[];
  /** The published version's document, if one is published. */
  document: Record<string, unknown> | null;
  /** Non-fatal remarks on the newest version (unreachable nodes). */
  warnings: Problem[];
}

function actorName(actor: Actor): string | null {
  if (actor.kind === 'user') return actor.username;
  if (actor.kind === 'api_key') return actor.name;
  return 'system';
}

/**
 * Checks a flow document; a failure names the path of each problem inside the request body.
 * @example checkDocument(doc) // the Flow, or throws IVR_FLOW_INVALID with details.path '/document/start'
 */
export function checkDocument(document: unknown, at = '/document'): { flow: Flow; warnings: Problem[] } {
  const result = validateFlow(document);
  if (!result.ok) {
    const problems = result.problems.map((p) => ({ path: at + p.path, message: p.message }));
    const first = problems[0]!;
    throw new DomainError('IVR_FLOW_INVALID', `Invalid IVR flow at ${first.path}: ${first.message}`, {
      path: first.path,
      problems,
    });
  }
  return {
    flow: result.flow,
    warnings: result.warnings.map((w) => ({ path: at + w.path, message: w.message })),
  };
}

/** Flows and their versions: create, change, publish, archive. */
export class IvrFlowLibrary {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** A new flow with its document as version 1, published unless `publish` is false. */
  async create(actor: Principal, document: unknown, publish = true): Promise<IvrFlowView> {
    const { flow } = checkDocument(document);
    const now = new Date(this.clock.now());
    const by = actorName(actor);
    const record: IvrFlowRecord = {
      id: randomUUID(),
      name: flow.name,
      publishedVersion: publish ? 1 : null,
      latestVersion: 1,
      createdBy: by,
      createdAt: now,
      archivedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await tx.ivrFlows.insert(record);
      await tx.ivrFlows.insertVersion({
        flowId: record.id,
        version: 1,
        document: flow as unknown as Record<string, unknown>,
        createdBy: by,
        createdAt: now,
      });
      await this.audit.record(
        tx,
        actor,
        'ivr_flow.create',
        { type: 'ivr_flow', id: record.id },
        {
          name: flow.name,
          version: 1,
          published: publish,
        },
      );
    });
    return this.get(record.id);
  }

  /** Writes the next version; published at once unless `publish` is false. */
  async addVersion(actor: Principal, id: string, document: unknown, publish = true): Promise<IvrFlowView> {
    const { flow } = checkDocument(document);
    const now = new Date(this.clock.now());
    const by = actorName(actor);
    await this.store.transaction(async (tx) => {
      const current = await this.live(tx, id);
      const version = current.latestVersion + 1;
      await tx.ivrFlows.insertVersion({
        flowId: id,
        version,
        document: flow as unknown as Record<string, unknown>,
        createdBy: by,
        createdAt: now,
      });
      await tx.ivrFlows.update(id, {
        name: flow.name,
        latestVersion: version,
        ...(publish ? { publishedVersion: version } : {}),
      });
      await this.audit.record(
        tx,
        actor,
        'ivr_flow.version',
        { type: 'ivr_flow', id },
        {
          name: flow.name,
          version,
          published: publish,
        },
      );
    });
    return this.get(id);
  }

  /** Makes an existing version the one new calls run (also to roll back). */
  async publish(actor: Principal, id: string, version: number): Promise<IvrFlowView> {
    await this.store.transaction(async (tx) => {
      await this.live(tx, id);
      if (!(await tx.ivrFlows.version(id, version))) {
        throw new DomainError('IVR_FLOW_NOT_FOUND', `The flow has no version ${version}.`, { version });
      }
      await tx.ivrFlows.update(id, { publishedVersion: version });
      await this.audit.record(tx, actor, 'ivr_flow.publish', { type: 'ivr_flow', id }, { version });
    });
    return this.get(id);
  }

  /** Archives a flow no number points at; its versions stay readable. */
  async archive(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.live(tx, id);
      const users = (await tx.ivrNumbers.list()).filter(
        (n) => n.flowId === id || n.overrides.some((o) => o.flowId === id),
      );
      if (users.length > 0) {
        throw new DomainError(
          'IVR_FLOW_IN_USE',
          `Dialed numbers still use this flow: ${users.map((n) => n.dnis).join(', ')}.`,
          { numbers: users.map((n) => n.dnis) },
        );
      }
      await tx.ivrFlows.update(id, { archivedAt: new Date(this.clock.now()) });
      await this.audit.record(tx, actor, 'ivr_flow.archive', { type: 'ivr_flow', id });
    });
  }

  async list(includeArchived = false): Promise<IvrFlowRecord[]> {
    return this.store.ivrFlows.list(includeArchived);
  }

  async get(id: string): Promise<IvrFlowView> {
    const f = await this.store.ivrFlows.byId(id);
    if (!f) throw new DomainError('IVR_FLOW_NOT_FOUND', 'No such IVR flow.');
    const versions = await this.store.ivrFlows.versions(id);
    const published = versions.find((v) => v.version === f.publishedVersion);
    const latest = versions.at(-1);
    const warnings = latest ? await this.warningsOf(latest.document) : [];
    return {
      ...f,
      versions: versions.map((v) => ({ version: v.version, createdBy: v.createdBy, createdAt: v.createdAt })),
      document: published?.document ?? null,
      warnings,
    };
  }

  async version(id: string, version: number): Promise<IvrFlowVersionRecord> {
    const v = await this.store.ivrFlows.version(id, version);
    if (!v) throw new DomainError('IVR_FLOW_NOT_FOUND', 'No such IVR flow version.');
    return v;
  }

  /** The published document of a flow that is not archived, checked again before it runs. */
  async runnable(id: string): Promise<Flow | null> {
    const f = await this.store.ivrFlows.byId(id);
    if (!f || f.archivedAt !== null || f.publishedVersion === null) return null;
    const v = await this.store.ivrFlows.version(id, f.publishedVersion);
    if (!v) return null;
    const result = validateFlow(v.document);
    return result.ok ? result.flow : null;
  }

  /** The validator's warnings, and queue nodes naming a queue that does not exist (yet). */
  private async warningsOf(document: Record<string, unknown>): Promise<Problem[]> {
    const result = validateFlow(document);
    const warnings = result.warnings.map((w) => ({ path: '/document' + w.path, message: w.message }));
    if (!result.ok) return warnings;
    const queueIds = new Set((await this.store.queues.list()).map((q) => q.id));
    for (const [id, node] of Object.entries(result.flow.nodes)) {
      if (node.kind === 'queue' && !queueIds.has(node.queueId)) {
        warnings.push({
          path: `/document/nodes/${id}/queueId`,
          message: 'no such queue: calls reaching it take onQueueFailure',
        });
      }
    }
    return warnings;
  }

  private async live(store: Store, id: string): Promise<IvrFlowRecord> {
    const f = await store.ivrFlows.byId(id);
    if (!f || f.archivedAt !== null) throw new DomainError('IVR_FLOW_NOT_FOUND', 'No such IVR flow.');
    return f;
  }
}
