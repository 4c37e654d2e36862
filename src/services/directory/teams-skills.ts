import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { ReasonCodeRecord, ReasonKind, SkillRecord, TeamRecord } from '../records.js';
import { DomainError } from '../../domain/errors.js';

/** Teams, skills and reason codes: the small lists the rest of the configuration refers to. */
export class Catalog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async createTeam(actor: Principal, name: string, supervisorIds: string[]): Promise<TeamRecord> {
    if ((await this.store.teams.list()).some((t) => t.name === name)) {
      throw new DomainError('CONFLICT', `A team named "${name}" exists.`);
    }
    await this.checkSupervisors(supervisorIds);
    const team = { id: randomUUID(), name, createdAt: new Date(this.clock.now()) };
    await this.store.transaction(async (tx) => {
      await tx.teams.insert(team);
      await tx.teams.setSupervisors(team.id, supervisorIds);
      await this.audit.record(
        tx,
        actor,
        'team.create',
        { type: 'team', id: team.id },
        { name, supervisorIds },
      );
    });
    return { ...team, supervisorIds };
  }

  async updateTeam(
    actor: Principal,
    id: string,
    patch: { name?: string; supervisorIds?: string[] },
  ): Promise<TeamRecord> {
    const team = await this.store.teams.byId(id);
    if (!team) throw new DomainError('TEAM_NOT_FOUND', 'No such team.');
    if (patch.supervisorIds) await this.checkSupervisors(patch.supervisorIds);
    await this.store.transaction(async (tx) => {
      if (patch.name && patch.name !== team.name) await tx.teams.rename(id, patch.name);
      if (patch.supervisorIds) await tx.teams.setSupervisors(id, patch.supervisorIds);
      await this.audit.record(tx, actor, 'team.update', { type: 'team', id }, patch);
    });
    return { ...team, ...patch };
  }

  async deleteTeam(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.teams.delete(id))) throw new DomainError('TEAM_NOT_FOUND', 'No such team.');
      await this.audit.record(tx, actor, 'team.delete', { type: 'team', id });
    });
  }

  listTeams(): Promise<TeamRecord[]> {
    return this.store.teams.list();
  }

  async createSkill(actor: Principal, name: string): Promise<SkillRecord> {
    if ((await this.store.skills.list()).some((s) => s.name === name)) {
      throw new DomainError('CONFLICT', `A skill named "${name}" exists.`);
    }
    const skill = { id: randomUUID(), name, createdAt: new Date(this.clock.now()) };
    await this.store.transaction(async (tx) => {
      await tx.skills.insert(skill);
      await this.audit.record(tx, actor, 'skill.create', { type: 'skill', id: skill.id }, { name });
    });
    return skill;
  }

  listSkills(): Promise<SkillRecord[]> {
    return this.store.skills.list();
  }

  async createReasonCode(
    actor: Principal,
    kind: ReasonKind,
    code: string,
    label: string,
  ): Promise<ReasonCodeRecord> {
    if (await this.store.reasonCodes.find(kind, code)) {
      throw new DomainError('CONFLICT', `The ${kind} code "${code}" exists.`);
    }
    const rec = { id: randomUUID(), kind, code, label };
    await this.store.transaction(async (tx) => {
      await tx.reasonCodes.insert(rec);
      await this.audit.record(
        tx,
        actor,
        'reason_code.create',
        { type: 'reason_code', id: rec.id },
        { kind, code },
      );
    });
    return rec;
  }

  async deleteReasonCode(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.reasonCodes.delete(id))) throw new DomainError('NOT_FOUND', 'No such reason code.');
      await this.audit.record(tx, actor, 'reason_code.delete', { type: 'reason_code', id });
    });
  }

  listReasonCodes(kind?: ReasonKind): Promise<ReasonCodeRecord[]> {
    return this.store.reasonCodes.list(kind);
  }

  /**
   * Checks a reason an agent gives. Built-in reasons the system sets ("missed") are always valid;
   * when no codes of this kind are configured, any short reason is accepted.
   */
  async requireReason(kind: ReasonKind, code: string | null): Promise<void> {
    if (code === null || code === 'missed') return;
    const codes = await this.store.reasonCodes.list(kind);
    if (codes.length > 0 && !codes.some((c) => c.code === code)) {
      throw new DomainError('REASON_CODE_UNKNOWN', `Unknown ${kind.replace('_', '-')} code "${code}".`, {
        known: codes.map((c) => c.code),
      });
    }
  }

  private async checkSupervisors(ids: string[]): Promise<void> {
    for (const id of ids) {
      const u = await this.store.users.byId(id);
      if (!u || u.role === 'agent') {
        throw new DomainError('VALIDATION_FAILED', `User ${id} is not a supervisor or admin.`, {
          path: '/supervisorIds',
        });
      }
    }
  }
}
