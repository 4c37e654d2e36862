/**
 * Things with a skill requirement (lanes, queues), indexed by one "anchor" skill they require, so
 * finding those an agent may meet looks only at the agent's own skills, not at every item.
 */
export class RequirementIndex<T> {
  private readonly byAnchor = new Map<string, Set<T>>();
  /** Items that require no skill at all: every agent meets them. */
  private readonly open = new Set<T>();
  private readonly anchors = new Map<T, string | null>();

  /** Adds an item under `anchor` (a skill it requires) or as open (null). */
  add(item: T, anchor: string | null): void {
    this.anchors.set(item, anchor);
    if (anchor === null) {
      this.open.add(item);
      return;
    }
    let set = this.byAnchor.get(anchor);
    if (!set) {
      set = new Set();
      this.byAnchor.set(anchor, set);
    }
    set.add(item);
  }

  /** Removes an item. */
  remove(item: T): void {
    const anchor = this.anchors.get(item);
    if (anchor === undefined) return;
    this.anchors.delete(item);
    if (anchor === null) {
      this.open.delete(item);
      return;
    }
    const set = this.byAnchor.get(anchor);
    set?.delete(item);
    if (set?.size === 0) this.byAnchor.delete(anchor);
  }

  /** Items an agent with these skills may meet (the caller checks the full requirement). */
  candidates(skills: Iterable<string>): T[] {
    const out = [...this.open];
    for (const skill of skills) {
      const set = this.byAnchor.get(skill);
      if (set) for (const item of set) out.push(item);
    }
    return out;
  }
}
