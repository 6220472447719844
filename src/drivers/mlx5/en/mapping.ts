// core/en/mapping.c: data ↔ id maps the driver writes into registers (zone
// restore ids, ct label ids, action-miss objects). Equal data shares one id
// (refcounted); ids start at 1 and are handed out lowest first, as xa_alloc does.
import { EBUSY, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';

interface MappingItem {
  key: string;
  id: number;
  cnt: number;
}

/** struct mapping_ctx */
export interface MappingCtx {
  /** MAPPING_TYPE_* name, for reports. */
  type: string;
  /** Largest id (0 = no limit but 32 bits). */
  max_id: number;
  by_key: Map<string, MappingItem>;
  by_id: Map<number, MappingItem>;
}

/** mapping_create_for_id (core/en/mapping.c): a fresh context (sharing between PFs by id is not modelled). */
export function mapping_create_for_id(type: string, max_id: number): MappingCtx {
  return { type, max_id, by_key: new Map(), by_id: new Map() };
}

/** mapping_add (core/en/mapping.c): the id of this data, allocating one if new. */
export function mapping_add(ctx: MappingCtx, data: string): { err: 0 | NegErrno; id: number } {
  const found = ctx.by_key.get(data);
  if (found) {
    found.cnt++;
    return { err: 0, id: found.id };
  }
  const limit = ctx.max_id || 0xffffffff;
  let id = 1;
  while (ctx.by_id.has(id)) id++;
  // xa_alloc within XA_LIMIT(1, max_id) answers -EBUSY when no id is free.
  if (id > limit) return { err: -EBUSY, id: 0 };
  const item: MappingItem = { key: data, id, cnt: 1 };
  ctx.by_key.set(data, item);
  ctx.by_id.set(id, item);
  return { err: 0, id };
}

/** mapping_remove (core/en/mapping.c): one reference less; the id is freed with the last. */
export function mapping_remove(ctx: MappingCtx, id: number): void {
  const item = ctx.by_id.get(id);
  if (!item || --item.cnt > 0) return;
  ctx.by_id.delete(id);
  ctx.by_key.delete(item.key);
}

/** How many ids are taken (for invariants and tests). */
export function mapping_count(ctx: MappingCtx): number {
  return ctx.by_id.size;
}
