// include/linux/list.h, as the emulator uses it: an ordered list of distinct
// objects with O(1) add at the tail, delete and replace in place
// (list_add_tail / list_del / list_replace). Deleted slots are left as holes
// and squeezed out once they outnumber the entries.

export class ListHead<T extends object> {
  private slots: (T | null)[] = [];
  private readonly pos = new Map<T, number>();
  private holes = 0;

  get size(): number {
    return this.pos.size;
  }

  /** list_add_tail() */
  add_tail(e: T): void {
    if (this.pos.has(e)) throw new Error('list_add_tail: entry already on the list');
    this.pos.set(e, this.slots.length);
    this.slots.push(e);
  }

  /** list_del(): false when e is not on the list. */
  del(e: T): boolean {
    const i = this.pos.get(e);
    if (i === undefined) return false;
    this.pos.delete(e);
    if (i === this.slots.length - 1) this.slots.pop();
    else {
      this.slots[i] = null;
      this.holes++;
      if (this.holes > 32 && this.holes > this.pos.size) this.compact();
    }
    return true;
  }

  /** list_replace(): `next` takes `old`'s place; false when old is not on the list. */
  replace(old: T, next: T): boolean {
    const i = this.pos.get(old);
    if (i === undefined) return false;
    this.pos.delete(old);
    this.pos.set(next, i);
    this.slots[i] = next;
    return true;
  }

  /** The entries in list order (a snapshot: safe to delete while walking it). */
  toArray(): T[] {
    const out: T[] = [];
    for (const e of this.slots) if (e !== null) out.push(e);
    return out;
  }

  private compact(): void {
    const live = this.toArray();
    this.slots = live;
    this.holes = 0;
    live.forEach((e, i) => this.pos.set(e, i));
  }
}
