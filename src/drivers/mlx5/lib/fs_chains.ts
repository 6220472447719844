// core/lib/fs_chains.c: TC chains and priorities as flow tables. Each
// (chain, prio, level) gets a refcounted auto-grouped table whose last two
// entries hold a miss group and a miss rule forwarding to the next prio's
// table (or the chain end). Not modelled: the per-chain restore rule and
// chain-tag modify header (create_chain_restore).
import { hop } from '../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, FLOW_ACT_NO_APPEND, MLX5_FS_MAX_POOL_SIZE, MLX5_FLOW_TABLE_UNMANAGED,
  type Mlx5FlowNamespaceType,
} from '../../../kernel/include/linux/mlx5/fs';
import type { Mlx5CoreDev } from '../mlx5_core';
import {
  mlx5_add_flow_rules, mlx5_create_auto_grouped_flow_table, mlx5_create_flow_group, mlx5_del_flow_rules,
  mlx5_destroy_flow_group, mlx5_destroy_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace,
  type Mlx5FlowGroup, type Mlx5FlowHandle, type Mlx5FlowTable,
} from '../fs_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/lib/fs_chains.c';

// core/fs_core.h and lib/fs_chains.c (v6.18)
export const FDB_TC_MAX_CHAIN = 3;
export const FDB_TC_MAX_PRIO = 16;
export const FDB_TC_LEVELS_PER_PRIO = 2;
const FT_TBL_SZ = 64 * 1024;
const UINT_MAX = 0xffffffff;

/** enum mlx5_chains_flags (lib/fs_chains.h) */
export const MLX5_CHAINS_AND_PRIOS_SUPPORTED = 1 << 0;
export const MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED = 1 << 1;
export const MLX5_CHAINS_FT_TUNNEL_SUPPORTED = 1 << 2;

/** struct mlx5_chains_attr */
export interface Mlx5ChainsAttr {
  ns: Mlx5FlowNamespaceType;
  flags: number;
  max_grp_num: number;
  default_ft: Mlx5FlowTable;
  /** Absolute firmware level of the chain-0/prio-1 root table (see levelOf). */
  fs_base_level: number;
}

interface FsChain {
  chain: number;
  ref: number;
  /** Sorted by (prio, level). */
  prios_list: Prio[];
}

interface Prio {
  key: { chain: number; prio: number; level: number };
  ref: number;
  chain: FsChain;
  ft: Mlx5FlowTable;
  next_ft: Mlx5FlowTable;
  miss_group: Mlx5FlowGroup;
  miss_rule: Mlx5FlowHandle;
}

/** struct mlx5_fs_chains */
export interface Mlx5FsChains {
  dev: Mlx5CoreDev;
  ns: Mlx5FlowNamespaceType;
  flags: number;
  group_num: number;
  fs_base_level: number;
  chains_default_ft: Mlx5FlowTable;
  chains_end_ft: Mlx5FlowTable;
  chains_ht: Map<number, FsChain>;
  prios_ht: Map<string, Prio>;
}

/** mlx5_chains_create (lib/fs_chains.c, v6.18): end table = default table until set. */
export function mlx5_chains_create(dev: Mlx5CoreDev, attr: Mlx5ChainsAttr): Mlx5FsChains {
  return {
    dev, ns: attr.ns, flags: attr.flags, group_num: attr.max_grp_num, fs_base_level: attr.fs_base_level,
    chains_default_ft: attr.default_ft, chains_end_ft: attr.default_ft, chains_ht: new Map(), prios_ht: new Map(),
  };
}

export function mlx5_chains_set_end_ft(chains: Mlx5FsChains, ft: Mlx5FlowTable): void {
  chains.chains_end_ft = ft;
}

export function mlx5_chains_get_tc_end_ft(chains: Mlx5FsChains): Mlx5FlowTable {
  return chains.chains_end_ft;
}

export function mlx5_chains_prios_supported(chains: Mlx5FsChains): boolean {
  return (chains.flags & MLX5_CHAINS_AND_PRIOS_SUPPORTED) !== 0;
}

export function mlx5_chains_ignore_flow_level_supported(chains: Mlx5FsChains): boolean {
  return (chains.flags & MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED) !== 0;
}

export function mlx5_chains_backwards_supported(chains: Mlx5FsChains): boolean {
  return mlx5_chains_prios_supported(chains) && mlx5_chains_ignore_flow_level_supported(chains);
}

/** mlx5_chains_get_chain_range (lib/fs_chains.c, v6.18) */
export function mlx5_chains_get_chain_range(chains: Mlx5FsChains): number {
  if (!mlx5_chains_prios_supported(chains)) return 1;
  if (mlx5_chains_ignore_flow_level_supported(chains)) return UINT_MAX - 1;
  // Only the eswitch gets here.
  return FDB_TC_MAX_CHAIN;
}

export function mlx5_chains_get_nf_ft_chain(chains: Mlx5FsChains): number {
  return mlx5_chains_get_chain_range(chains) + 1;
}

/** mlx5_chains_get_prio_range (lib/fs_chains.c, v6.18) */
export function mlx5_chains_get_prio_range(chains: Mlx5FsChains): number {
  if (mlx5_chains_ignore_flow_level_supported(chains)) return UINT_MAX;
  const esw = chains.dev.priv.eswitch;
  if (!esw || esw.mode !== 'MLX5_ESWITCH_OFFLOADS') return 1;
  return FDB_TC_MAX_PRIO;
}

function mlx5_chains_get_level_range(chains: Mlx5FsChains): number {
  if (mlx5_chains_ignore_flow_level_supported(chains)) return UINT_MAX;
  return FDB_TC_LEVELS_PER_PRIO;
}

/**
 * Firmware level of a chains table. Upstream derives it from the fs_core
 * namespace tree (a priority per (chain, prio) for managed tables; one level
 * above the base for unmanaged ones); only the order matters to firmware, so
 * this keeps the order with simple arithmetic.
 */
function levelOf(chains: Mlx5FsChains, chain: number, prio: number, level: number, managed: boolean): number {
  if (!managed) return chains.fs_base_level + 1;
  return chains.fs_base_level + (chain * FDB_TC_MAX_PRIO + (prio - 1)) * FDB_TC_LEVELS_PER_PRIO + level;
}

/** mlx5_chains_create_table (lib/fs_chains.c, v6.18) */
const mlx5_chains_create_table = hop(FILE, function mlx5_chains_create_table(chains: Mlx5FsChains, chain: number, prio: number, level: number): Mlx5FlowTable | NegErrno {
  const sz = chain === mlx5_chains_get_nf_ft_chain(chains) ? FT_TBL_SZ : MLX5_FS_MAX_POOL_SIZE;
  // The root table (chain 0, prio 1, level 0) is always a managed table so it
  // connects to the previous fs_core priority.
  const managed = !mlx5_chains_ignore_flow_level_supported(chains) || (chain === 0 && prio === 1 && level === 0);
  const ft = mlx5_create_auto_grouped_flow_table(mlx5_get_flow_namespace(chains.dev, chains.ns), mlx5_flow_table_attr({
    level: levelOf(chains, chain, prio, level, managed),
    max_fte: sz,
    flags: managed ? 0 : MLX5_FLOW_TABLE_UNMANAGED,
    next_ft: chains.chains_default_ft,
    autogroup: { num_reserved_entries: 2, max_num_groups: chains.group_num },
  }));
  if (typeof ft === 'number') {
    const d = chains.dev;
    d.net.printk('warn', `${d.device}: mlx5_chains_create_table:204:(pid ${d.drv.pid}): Failed to create chains table err ${ft} (chain: ${chain | 0}, prio: ${prio | 0}, level: ${level}, size: ${sz})`);
  }
  return ft;
}, { input: (_c, chain, prio, level) => `chain ${chain} prio ${prio} level ${level}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.id} size ${r.max_fte}`) });

/** mlx5_chains_add_miss_rule (lib/fs_chains.c, v6.18) */
const mlx5_chains_add_miss_rule = hop(FILE, function mlx5_chains_add_miss_rule(chains: Mlx5FsChains, ft: Mlx5FlowTable, next_ft: Mlx5FlowTable): Mlx5FlowHandle | NegErrno {
  const flags = FLOW_ACT_NO_APPEND | (mlx5_chains_ignore_flow_level_supported(chains) ? FLOW_ACT_IGNORE_FLOW_LEVEL : 0);
  return mlx5_add_flow_rules(ft, null, { action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, flags }, [
    { type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: next_ft },
  ]);
}, { input: (_c, ft, next) => `ft ${ft.id} → ft ${next.id}`, result: (r) => (typeof r === 'number' ? undefined : `fte ${r.fte.index}`) });

/**
 * mlx5_chains_update_prio_prevs (lib/fs_chains.c, v6.18): a new level-0 table
 * becomes the miss target of the previous prio's tables. New miss rules are
 * added first (the miss group has room for two), then the old ones deleted.
 */
const mlx5_chains_update_prio_prevs = hop(FILE, function mlx5_chains_update_prio_prevs(chains: Mlx5FsChains, prio: Prio, next_ft: Mlx5FlowTable): 0 | NegErrno {
  if (prio.key.level) return 0;
  const list = prio.chain.prios_list;
  const prevs: Prio[] = [];
  for (let i = list.indexOf(prio) - 1; i >= 0; i--) {
    prevs.push(list[i]!);
    if (!list[i]!.key.level) break;
  }
  const added: Mlx5FlowHandle[] = [];
  for (const pos of prevs) {
    const r = mlx5_chains_add_miss_rule(chains, pos.ft, next_ft);
    if (typeof r === 'number') {
      for (const a of added) mlx5_del_flow_rules(a);
      return r;
    }
    added.push(r);
  }
  prevs.forEach((pos, n) => {
    mlx5_del_flow_rules(pos.miss_rule);
    pos.miss_rule = added[n]!;
    pos.next_ft = next_ft;
  });
  return 0;
}, { input: (_c, p, next) => `(${p.key.chain},${p.key.prio},${p.key.level}) → ft ${next.id}` });

function prio_key(chain: number, prio: number, level: number): string {
  return `${chain}/${prio}/${level}`;
}

/** mlx5_chains_create_prio (lib/fs_chains.c, v6.18) */
const mlx5_chains_create_prio = hop(FILE, function mlx5_chains_create_prio(chains: Mlx5FsChains, chain: number, prio: number, level: number): Prio | NegErrno {
  let chain_s = chains.chains_ht.get(chain);
  if (!chain_s) {
    chain_s = { chain, ref: 0, prios_list: [] };
    chains.chains_ht.set(chain, chain_s);
  }
  chain_s.ref++;
  const put_chain = (): void => {
    if (--chain_s.ref === 0) chains.chains_ht.delete(chain);
  };

  // Default miss of each chain; else the first larger (prio, level)'s level-0 table.
  let next_ft = chain === mlx5_chains_get_nf_ft_chain(chains) ? chains.chains_default_ft : chains.chains_end_ft;
  let pos = chain_s.prios_list.length;
  for (let i = 0; i < chain_s.prios_list.length; i++) {
    const p = chain_s.prios_list[i]!;
    if (prio < p.key.prio || (prio === p.key.prio && level < p.key.level)) {
      next_ft = p.key.level === 0 ? p.ft : p.next_ft;
      pos = i;
      break;
    }
  }

  const ft = mlx5_chains_create_table(chains, chain, prio, level);
  if (typeof ft === 'number') {
    put_chain();
    return ft;
  }
  const miss_group = mlx5_create_flow_group(ft, {
    start_flow_index: ft.max_fte - 2, end_flow_index: ft.max_fte - 1, match_criteria_enable: 0, match_criteria: {},
  });
  if (typeof miss_group === 'number') {
    mlx5_destroy_flow_table(ft);
    put_chain();
    return miss_group;
  }
  const miss_rule = mlx5_chains_add_miss_rule(chains, ft, next_ft);
  if (typeof miss_rule === 'number') {
    mlx5_destroy_flow_group(miss_group);
    mlx5_destroy_flow_table(ft);
    put_chain();
    return miss_rule;
  }
  const prio_s: Prio = { key: { chain, prio, level }, ref: 0, chain: chain_s, ft, next_ft, miss_group, miss_rule };
  chains.prios_ht.set(prio_key(chain, prio, level), prio_s);
  chain_s.prios_list.splice(pos, 0, prio_s);

  // Table is ready, connect it.
  const err = mlx5_chains_update_prio_prevs(chains, prio_s, ft);
  if (err) {
    chain_s.prios_list.splice(chain_s.prios_list.indexOf(prio_s), 1);
    chains.prios_ht.delete(prio_key(chain, prio, level));
    mlx5_del_flow_rules(miss_rule);
    mlx5_destroy_flow_group(miss_group);
    mlx5_destroy_flow_table(ft);
    put_chain();
    return err;
  }
  return prio_s;
}, { input: (_c, chain, prio, level) => `chain ${chain} prio ${prio} level ${level}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.ft.id}`) });

/** mlx5_chains_destroy_prio (lib/fs_chains.c, v6.18) */
const mlx5_chains_destroy_prio = hop(FILE, function mlx5_chains_destroy_prio(chains: Mlx5FsChains, prio: Prio): void {
  mlx5_chains_update_prio_prevs(chains, prio, prio.next_ft);
  const list = prio.chain.prios_list;
  list.splice(list.indexOf(prio), 1);
  chains.prios_ht.delete(prio_key(prio.key.chain, prio.key.prio, prio.key.level));
  mlx5_del_flow_rules(prio.miss_rule);
  mlx5_destroy_flow_group(prio.miss_group);
  mlx5_destroy_flow_table(prio.ft);
  if (--prio.chain.ref === 0) chains.chains_ht.delete(prio.chain.chain);
}, { input: (_c, p) => `chain ${p.key.chain} prio ${p.key.prio} level ${p.key.level}` });

/**
 * mlx5_chains_get_table (lib/fs_chains.c, v6.18): out of range → -EOPNOTSUPP
 * with no extack; lower levels are taken first.
 */
export const mlx5_chains_get_table = hop(FILE, function mlx5_chains_get_table(chains: Mlx5FsChains, chain: number, prio: number, level: number): Mlx5FlowTable | NegErrno {
  if ((chain > mlx5_chains_get_chain_range(chains) && chain !== mlx5_chains_get_nf_ft_chain(chains))
      || prio > mlx5_chains_get_prio_range(chains)
      || level > mlx5_chains_get_level_range(chains)) {
    return -EOPNOTSUPP;
  }
  let l = 0;
  for (; l < level; l++) {
    const prev = mlx5_chains_get_table(chains, chain, prio, l);
    if (typeof prev === 'number') {
      while (--l >= 0) mlx5_chains_put_table(chains, chain, prio, l);
      return prev;
    }
  }
  let prio_s = chains.prios_ht.get(prio_key(chain, prio, level));
  if (!prio_s) {
    const created = mlx5_chains_create_prio(chains, chain, prio, level);
    if (typeof created === 'number') {
      while (--l >= 0) mlx5_chains_put_table(chains, chain, prio, l);
      return created;
    }
    prio_s = created;
  }
  prio_s.ref++;
  return prio_s.ft;
}, { input: (_c, chain, prio, level) => `chain ${chain} prio ${prio} level ${level}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.id}`) });

/** mlx5_chains_put_table (lib/fs_chains.c, v6.18): last user destroys the prio. */
export const mlx5_chains_put_table = hop(FILE, function mlx5_chains_put_table(chains: Mlx5FsChains, chain: number, prio: number, level: number): void {
  const prio_s = chains.prios_ht.get(prio_key(chain, prio, level));
  if (!prio_s) throw new Error(`Couldn't find table: (chain: ${chain} prio: ${prio} level: ${level})`);
  if (--prio_s.ref === 0) mlx5_chains_destroy_prio(chains, prio_s);
  for (let l = level - 1; l >= 0; l--) mlx5_chains_put_table(chains, chain, prio, l);
}, { input: (_c, chain, prio, level) => `chain ${chain} prio ${prio} level ${level}` });

/**
 * mlx5_chains_create_global_table (lib/fs_chains.c, v6.18): a table outside
 * every tc chain (the last chain, prio and level), for CT and post-action.
 */
export const mlx5_chains_create_global_table = hop(FILE, function mlx5_chains_create_global_table(chains: Mlx5FsChains): Mlx5FlowTable | NegErrno {
  // Upstream also warns here; unreachable in this model, as its callers
  // (post_act, CT) check the same ignore_flow_level cap first.
  if (!mlx5_chains_ignore_flow_level_supported(chains)) return -EOPNOTSUPP;
  return mlx5_chains_create_table(chains, mlx5_chains_get_chain_range(chains), mlx5_chains_get_prio_range(chains), mlx5_chains_get_level_range(chains));
}, { result: (r) => (typeof r === 'number' ? undefined : `ft ${r.id}`) });

/** mlx5_chains_destroy_global_table (lib/fs_chains.c, v6.18) */
export const mlx5_chains_destroy_global_table = hop(FILE, function mlx5_chains_destroy_global_table(_chains: Mlx5FsChains, ft: Mlx5FlowTable): void {
  mlx5_destroy_flow_table(ft);
}, { input: (_c, ft) => `ft ${ft.id}` });
