// core/en/mod_hdr.c: modify-header contexts shared by content. Flows whose
// rewrites are identical (same actions, same order) use one firmware
// context; the last user to go frees it.
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { EREMOTEIO, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5FlowNamespaceType, Mlx5ModifyHdr } from '../../../kernel/include/linux/mlx5/fs';
import type { Mlx5IfcModifyAction } from '../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5CoreDev } from '../mlx5_core';
import { mlx5_modify_header_alloc, mlx5_modify_header_dealloc } from '../fs_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/mod_hdr.c';

/** struct mod_hdr_key: the actions, compared by content (hash + memcmp upstream). */
interface ModHdrKey {
  num_actions: number;
  actions: Mlx5IfcModifyAction[];
}

/** struct mlx5e_mod_hdr_handle */
export interface Mlx5eModHdrHandle {
  key: ModHdrKey;
  modify_hdr: Mlx5ModifyHdr | null;
  /** Users (flows) of this context; the context goes with the last. */
  refcnt: number;
  /** > 0 once the firmware context exists, < 0 if its allocation failed. */
  compl_result: number;
}

/** struct mod_hdr_tbl: handles by their key. */
export interface ModHdrTbl {
  hlist: Map<string, Mlx5eModHdrHandle>;
}

/** mlx5e_mod_hdr_tbl_init (core/en/mod_hdr.c) */
export function mlx5e_mod_hdr_tbl_init(): ModHdrTbl {
  return { hlist: new Map() };
}

/** hash_mod_hdr_info + cmp_mod_hdr_info: equal keys ⇔ same count and same action bytes. */
function mod_hdr_key_str(key: ModHdrKey): string {
  return `${key.num_actions}:${key.actions.map((a) => `${a.action_type}/${a.field}/${a.data >>> 0}`).join(',')}`;
}

// Counted by the coverage report: a flow reuses an existing context.
const mlx5e_mod_hdr_attach_shared = declareBranch(FILE, 'mlx5e_mod_hdr_attach', 'shared_context');

/**
 * mlx5e_mod_hdr_attach (core/en/mod_hdr.c, v6.18): a handle with the same
 * actions is shared (one more user); otherwise a new one allocates its
 * firmware context. A handle whose allocation failed answers -EREMOTEIO to
 * later users while it exists.
 */
export const mlx5e_mod_hdr_attach = hop(FILE, function mlx5e_mod_hdr_attach(mdev: Mlx5CoreDev, tbl: ModHdrTbl, namespace: Mlx5FlowNamespaceType, mod_hdr_acts: Mlx5IfcModifyAction[]): Mlx5eModHdrHandle | NegErrno {
  const key: ModHdrKey = { num_actions: mod_hdr_acts.length, actions: mod_hdr_acts.map((a) => ({ ...a })) };
  const k = mod_hdr_key_str(key);
  const found = tbl.hlist.get(k);
  if (mlx5e_mod_hdr_attach_shared(found !== undefined)) {
    found!.refcnt++;
    if (found!.compl_result < 0) {
      mlx5e_mod_hdr_detach(mdev, tbl, found!);
      return -EREMOTEIO;
    }
    return found!;
  }
  const mh: Mlx5eModHdrHandle = { key, modify_hdr: null, refcnt: 1, compl_result: 0 };
  tbl.hlist.set(k, mh);
  const modify_hdr = mlx5_modify_header_alloc(mdev, namespace, key.num_actions, key.actions);
  if (typeof modify_hdr === 'number') {
    mh.compl_result = modify_hdr;
    mlx5e_mod_hdr_detach(mdev, tbl, mh);
    return modify_hdr;
  }
  mh.modify_hdr = modify_hdr;
  mh.compl_result = 1;
  return mh;
}, {
  input: (_d, tbl, ns, acts) => `${ns.replace('MLX5_FLOW_NAMESPACE_', '')} ${acts.length} actions (${tbl.hlist.size} in table)`,
  result: (r) => (typeof r === 'number' ? undefined : `modify_header_id ${r.modify_hdr?.id} refcnt ${r.refcnt}`),
});

/** mlx5e_mod_hdr_detach (core/en/mod_hdr.c, v6.18): the last user frees the context. */
export const mlx5e_mod_hdr_detach = hop(FILE, function mlx5e_mod_hdr_detach(mdev: Mlx5CoreDev, tbl: ModHdrTbl, mh: Mlx5eModHdrHandle): void {
  if (--mh.refcnt > 0) return;
  tbl.hlist.delete(mod_hdr_key_str(mh.key));
  if (mh.compl_result > 0) mlx5_modify_header_dealloc(mdev, mh.modify_hdr!);
}, { input: (_d, _t, mh) => `modify_header_id ${mh.modify_hdr?.id ?? '-'} refcnt ${mh.refcnt}` });

/** mlx5e_mod_hdr_get (core/en/mod_hdr.c) */
export function mlx5e_mod_hdr_get(mh: Mlx5eModHdrHandle): Mlx5ModifyHdr {
  return mh.modify_hdr!;
}
