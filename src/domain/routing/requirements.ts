import type { OverflowRule, SkillRequirement } from './types.js';

/** A normalized skill requirement: sorted by skill, one entry per skill, levels at least 1. */
export type Requirement = readonly SkillRequirement[];

const NONE: Requirement = [];

/** Sorts by skill and keeps the highest min level when a skill appears twice. */
export function normalize(reqs: readonly SkillRequirement[]): Requirement {
  if (reqs.length === 0) return NONE;
  const bySkill = new Map<string, number>();
  for (const r of reqs) {
    const level = Math.max(1, r.minLevel);
    bySkill.set(r.skill, Math.max(level, bySkill.get(r.skill) ?? 0));
  }
  return [...bySkill.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skill, minLevel]) => ({ skill, minLevel }));
}

/** Both requirements at once. */
export function merge(a: Requirement, b: Requirement): Requirement {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return normalize([...a, ...b]);
}

/** A 'widen' overflow step: lower every min level (floor 1) and drop the named skills. */
export function widen(req: Requirement, rule: Extract<OverflowRule, { action: 'widen' }>): Requirement {
  const lower = rule.lowerMinLevelBy ?? 0;
  const drop = new Set(rule.dropSkills ?? []);
  return req
    .filter((r) => !drop.has(r.skill))
    .map((r) => ({ skill: r.skill, minLevel: Math.max(1, r.minLevel - lower) }));
}

/** A stable text key: equal requirements have equal signatures. */
export function signature(req: Requirement): string {
  let s = '';
  for (const r of req) s += `${r.skill}\u0001${r.minLevel}\u0002`;
  return s;
}

/** Whether skills (skill → level) meet every requirement. */
export function satisfies(skills: ReadonlyMap<string, number>, req: Requirement): boolean {
  for (const r of req) {
    if ((skills.get(r.skill) ?? 0) < r.minLevel) return false;
  }
  return true;
}

/** Sum of the agent's levels in the required skills (the highest_skill strategy's score). */
export function skillSum(skills: ReadonlyMap<string, number>, req: Requirement): number {
  let sum = 0;
  for (const r of req) sum += skills.get(r.skill) ?? 0;
  return sum;
}
