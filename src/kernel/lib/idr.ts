// lib/idr.c, the part the emulator needs: an id -> object map that hands out
// the lowest free id in a range (idr_alloc_u32 / ida_alloc_range). It keeps
// a "lowest possibly free" hint, so filling ids in order costs O(1) per id
// instead of a scan from the start of the range.

export class Idr<T> extends Map<number, T> {
  /** Every id in [floor, hint) is in use. */
  private hint: number;
  /** The ids in ascending order (idr_get_next's walk), rebuilt after an id comes or goes. */
  private sorted: number[] | null = null;

  constructor(private readonly floor = 0) {
    super();
    this.hint = floor;
  }

  override set(id: number, v: T): this {
    if (this.sorted && !super.has(id)) this.sorted = null;
    super.set(id, v);
    if (id === this.hint) while (super.has(this.hint)) this.hint++;
    return this;
  }

  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) this.sorted = null;
    if (had && id >= this.floor && id < this.hint) this.hint = id;
    return had;
  }

  override clear(): void {
    super.clear();
    this.sorted = null;
    this.hint = this.floor;
  }

  /** The lowest free id in [start, max], or undefined when all are taken. */
  lowest_free(start: number, max: number): number | undefined {
    let id = start >= this.floor && start < this.hint ? this.hint : start;
    for (; id <= max; id++) if (!super.has(id)) return id;
    return undefined;
  }

  /**
   * The ids >= start in ascending order (what repeated idr_get_next yields).
   * The sorted list is kept until the set of ids changes, so a dump split
   * into many chunks sorts once.
   */
  ids_from(start: number): readonly number[] {
    if (!this.sorted) this.sorted = [...super.keys()].sort((a, b) => a - b);
    const a = this.sorted;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? a : a.slice(lo);
  }
}
