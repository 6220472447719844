// core/en/tc/act/police.c: police → a flow meter (switchdev only; the NIC
// action table has no police). The rule executes the meter's ASO object.
//
// Simplified: upstream makes police a multi-table action — the rule jumps
// to a post-meter table that drops red packets and sends green ones to a
// post-action table holding the actions after police. Here the rule keeps
// all its actions in one FTE with EXECUTE_ASO, which shows the same outcome
// for the common "conform-exceed drop/pipe" form. Other verdict pairs that
// upstream accepts need branch tables and are refused (see below).
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import { ENOENT, EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import { MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry, FlowActionId } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5e_get_flow_meters, mlx5e_tc_meter_get, mlx5e_tc_meter_get_stats, mlx5e_tc_meter_put, mlx5e_tc_meter_replace, mlx5e_tc_meter_update, type Mlx5eFlowMeterParams } from '../meter';
import { FLOW_ACTION_HW_STATS_DELAYED, flow_stats_update, type FlowOffloadAction } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/police.c';

function police_act_validate_control(act_id: FlowActionId, extack: NetlinkExtAck | null): boolean {
  // core/en/tc/act/police.c police_act_validate_control (v6.18)
  if (act_id !== 'FLOW_ACTION_PIPE' && act_id !== 'FLOW_ACTION_ACCEPT' && act_id !== 'FLOW_ACTION_JUMP' && act_id !== 'FLOW_ACTION_DROP') {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Offload not supported when conform-exceed action is not pipe, ok, jump or drop');
    return false;
  }
  return true;
}

/** police_act_validate (core/en/tc/act/police.c, v6.18): verdicts, then no peakrate/avrate/overhead. */
export const police_act_validate = hop(FILE, function police_act_validate(act: FlowActionEntry, extack: NetlinkExtAck | null): 0 | NegErrno {
  const p = act.police_act;
  if (!p) throw new Error('police_act_validate: a POLICE entry without police_act');
  if (!police_act_validate_control(p.exceed, extack) || !police_act_validate_control(p.notexceed, extack)) return -EOPNOTSUPP;
  if (p.peakrate_bytes_ps || p.avrate || p.overhead) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Offload not supported when peakrate/avrate/overhead is configured');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (act) => `exceed ${act.police_act?.exceed.replace('FLOW_ACTION_', '')} notexceed ${act.police_act?.notexceed.replace('FLOW_ACTION_', '')}` });

/** tc_act_can_offload_police (core/en/tc/act/police.c, v6.18): valid, and the device has flow meters. */
const tc_act_can_offload_police = hop(FILE, function tc_act_can_offload_police(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  if (police_act_validate(act, ps.extack)) return false;
  return !!mlx5e_get_flow_meters(ps.flow.priv.mdev);
});

/** fill_meter_params_from_act (core/en/tc/act/police.c, v6.18): bytes/s, else packets/s, else MTU. */
export function fill_meter_params_from_act(act: FlowActionEntry, params: Mlx5eFlowMeterParams): 0 | NegErrno {
  const p = act.police!;
  const pa = act.police_act!;
  params.index = act.hw_index;
  if (p.rate_bytes_ps) {
    params.mode = 'MLX5_RATE_LIMIT_BPS';
    // change rate to bits per second
    params.rate = p.rate_bytes_ps * 8;
    params.burst = p.burst;
  } else if (pa.rate_pkt_ps) {
    params.mode = 'MLX5_RATE_LIMIT_PPS';
    params.rate = pa.rate_pkt_ps;
    params.burst = pa.burst_pkt;
  } else if (pa.mtu) {
    params.mtu = pa.mtu;
  } else {
    return -EOPNOTSUPP;
  }
  return 0;
}

// Counted by the coverage report: a verdict pair that needs the (unmodelled) branch tables.
const police_needs_branch_tables = declareBranch(FILE, 'tc_act_parse_police', 'branch_tables_not_modelled');

/**
 * tc_act_parse_police (core/en/tc/act/police.c, v6.18). An MTU-only police
 * needs range matching (MLX5_FLOW_STEERING_CAP_MATCH_RANGES), which the
 * emulated ConnectX-6 Dx does not have.
 */
const tc_act_parse_police = hop(FILE, function tc_act_parse_police(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const params: Mlx5eFlowMeterParams = { mode: 'MLX5_RATE_LIMIT_BPS', index: 0, rate: 0, burst: 0, mtu: 0 };
  const err = fill_meter_params_from_act(act, params);
  if (err) return err;
  if (params.mtu) return -EOPNOTSUPP;
  // Emulator limit (not an upstream refusal): conform "ok"/"jump" or exceed
  // other than drop need the branch attrs of parse_branch_ctrl, not modelled.
  const pa = act.police_act!;
  if (police_needs_branch_tables(pa.notexceed !== 'FLOW_ACTION_PIPE' || pa.exceed !== 'FLOW_ACTION_DROP')) return -EOPNOTSUPP;
  attr.meter_attr = { params, meter: null };
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO;
  attr.exe_aso_type = 'MLX5_EXE_ASO_FLOW_METER';
  void ps;
  return 0;
}, { input: (_ps, act) => `index ${act.hw_index} rate ${act.police?.rate_bytes_ps ?? 0}B/s burst ${act.police?.burst ?? 0}` });

function empty_meter_params(index: number): Mlx5eFlowMeterParams {
  return { mode: 'MLX5_RATE_LIMIT_BPS', index, rate: 0, burst: 0, mtu: 0 };
}

/**
 * tc_act_police_offload (core/en/tc/act/police.c, v6.18): a standalone
 * police creates the meter of its index (the action holds that reference),
 * or updates the meter filters already made for it.
 */
const tc_act_police_offload = hop(FILE, function tc_act_police_offload(priv: Mlx5ePriv, fl_act: FlowOffloadAction, act: FlowActionEntry): 0 | NegErrno {
  let err = police_act_validate(act, fl_act.extack);
  if (err) return err;
  const params = empty_meter_params(0);
  err = fill_meter_params_from_act(act, params);
  if (err) return err;
  let meter = mlx5e_tc_meter_get(priv.mdev, params);
  if (meter === -ENOENT) {
    meter = mlx5e_tc_meter_replace(priv.mdev, params);
  } else if (typeof meter !== 'number') {
    err = mlx5e_tc_meter_update(meter, params);
    mlx5e_tc_meter_put(meter);
  }
  if (typeof meter === 'number') {
    NL_SET_ERR_MSG_MOD(fl_act.extack, 'mlx5_core', 'Failed to get flow meter');
    priv.mdev.net.printk('err', `mlx5_core ${priv.mdev.device}: tc_act_police_offload: Failed to get flow meter ${params.index}`);
    err = meter;
  }
  return err;
}, { input: (_p, fl) => `index ${fl.index}` });

/** tc_act_police_destroy (core/en/tc/act/police.c, v6.18): one put for the lookup, one for the action's reference. */
const tc_act_police_destroy = hop(FILE, function tc_act_police_destroy(priv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  const meter = mlx5e_tc_meter_get(priv.mdev, empty_meter_params(fl_act.index));
  if (typeof meter === 'number') {
    NL_SET_ERR_MSG_MOD(fl_act.extack, 'mlx5_core', 'Failed to get flow meter');
    priv.mdev.net.printk('err', `mlx5_core ${priv.mdev.device}: tc_act_police_destroy: Failed to get flow meter ${fl_act.index}`);
    return meter;
  }
  mlx5e_tc_meter_put(meter);
  mlx5e_tc_meter_put(meter);
  return 0;
}, { input: (_p, fl) => `index ${fl.index}` });

/**
 * tc_act_police_stats (core/en/tc/act/police.c, v6.18): the meter's
 * counters, reported as delayed.
 */
const tc_act_police_stats = hop(FILE, function tc_act_police_stats(priv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  const meter = mlx5e_tc_meter_get(priv.mdev, empty_meter_params(fl_act.index));
  if (typeof meter === 'number') {
    NL_SET_ERR_MSG_MOD(fl_act.extack, 'mlx5_core', 'Failed to get flow meter');
    return meter;
  }
  const st = mlx5e_tc_meter_get_stats(meter);
  flow_stats_update(fl_act.stats, st.bytes, st.packets, st.drops, st.lastuse, FLOW_ACTION_HW_STATS_DELAYED);
  mlx5e_tc_meter_put(meter);
  return 0;
}, { input: (_p, fl) => `index ${fl.index}` });

export const mlx5e_tc_act_police: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_police,
  parse_action: tc_act_parse_police,
  is_terminating_action: false,
  offload_action: tc_act_police_offload,
  destroy_action: tc_act_police_destroy,
  stats_action: tc_act_police_stats,
};
