// net/devlink/netlink_gen.c (v6.18, generated upstream from the devlink YAML
// spec): per-command policies and the split-ops table of the modelled
// commands. Each doit runs devlink_nl_pre_doit with its own policy first.
import type { NetlinkCallback, NetlinkSkb } from '../../include/linux/netlink';
import type { NegErrno } from '../../include/uapi/asm-generic/errno';
import {
  DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME, DEVLINK_ATTR_ESWITCH_ENCAP_MODE, DEVLINK_ATTR_ESWITCH_INLINE_MODE,
  DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ATTR_PARAM_NAME, DEVLINK_ATTR_PARAM_TYPE, DEVLINK_ATTR_PARAM_VALUE_CMODE,
  DEVLINK_CMD_ESWITCH_GET, DEVLINK_CMD_ESWITCH_SET, DEVLINK_CMD_GET, DEVLINK_CMD_PARAM_GET, DEVLINK_CMD_PARAM_SET,
} from '../../include/uapi/linux/devlink';
import { GENL_ADMIN_PERM } from '../../include/uapi/linux/genetlink';
import { NLA_NUL_STRING, NLA_U16, NLA_U8, NL_VALIDATE_LIBERAL, NL_VALIDATE_STRICT, type NlaPolicy } from '../../lib/nlattr';
import type { Devlink } from '../../include/net/devlink';
import type { NlaTb } from '../../lib/nlattr';
import type { GenlInfo, GenlOps } from '../netlink/genetlink';
import { devlink_nl_dumpit, devlink_nl_pre_doit, type DevlinkNlDumpOne, type DevlinkOpPolicy } from './netlink';
import {
  devlink_nl_eswitch_get_doit, devlink_nl_eswitch_set_doit, devlink_nl_get_doit, devlink_nl_get_dump_one,
} from './dev';
import { devlink_nl_param_get_doit, devlink_nl_param_get_dump_one, devlink_nl_param_set_doit } from './param';

const handle_policy: NlaPolicy = {
  [DEVLINK_ATTR_BUS_NAME]: { type: NLA_NUL_STRING },
  [DEVLINK_ATTR_DEV_NAME]: { type: NLA_NUL_STRING },
};

// Doit ops carry GENL_DONT_VALIDATE_STRICT: liberal parsing.
const devlink_get_nl_policy: DevlinkOpPolicy = { maxattr: DEVLINK_ATTR_DEV_NAME, policy: handle_policy, validate: NL_VALIDATE_LIBERAL };
// DEVLINK_CMD_GET dump: GENL_DONT_VALIDATE_DUMP and no policy.
const devlink_get_dump_nl_policy: DevlinkOpPolicy = { maxattr: 0, policy: null, validate: NL_VALIDATE_LIBERAL };
const devlink_eswitch_get_nl_policy: DevlinkOpPolicy = { maxattr: DEVLINK_ATTR_DEV_NAME, policy: handle_policy, validate: NL_VALIDATE_LIBERAL };
const devlink_eswitch_set_nl_policy: DevlinkOpPolicy = {
  maxattr: DEVLINK_ATTR_ESWITCH_ENCAP_MODE,
  policy: {
    ...handle_policy,
    [DEVLINK_ATTR_ESWITCH_MODE]: { type: NLA_U16, max: 1 },
    [DEVLINK_ATTR_ESWITCH_INLINE_MODE]: { type: NLA_U8, max: 3 },
    [DEVLINK_ATTR_ESWITCH_ENCAP_MODE]: { type: NLA_U8, max: 1 },
  },
  validate: NL_VALIDATE_LIBERAL,
};
const devlink_param_get_do_nl_policy: DevlinkOpPolicy = {
  maxattr: DEVLINK_ATTR_PARAM_NAME,
  policy: { ...handle_policy, [DEVLINK_ATTR_PARAM_NAME]: { type: NLA_NUL_STRING } },
  validate: NL_VALIDATE_LIBERAL,
};
// PARAM_GET dump has no GENL_DONT_VALIDATE_* flag: strict.
const devlink_param_get_dump_nl_policy: DevlinkOpPolicy = { maxattr: DEVLINK_ATTR_DEV_NAME, policy: handle_policy, validate: NL_VALIDATE_STRICT };
const devlink_param_set_nl_policy: DevlinkOpPolicy = {
  maxattr: DEVLINK_ATTR_PARAM_VALUE_CMODE,
  policy: {
    ...handle_policy,
    [DEVLINK_ATTR_PARAM_NAME]: { type: NLA_NUL_STRING },
    // NLA_POLICY_VALIDATE_FN(NLA_U8, devlink_attr_param_type_validate): the
    // callback runs at the start of devlink_nl_param_set_doit.
    [DEVLINK_ATTR_PARAM_TYPE]: { type: NLA_U8 },
    [DEVLINK_ATTR_PARAM_VALUE_CMODE]: { type: NLA_U8, max: 2 },
  },
  validate: NL_VALIDATE_LIBERAL,
};

type DevlinkDoit = (devlink: Devlink, tb: NlaTb, info: GenlInfo) => 0 | NegErrno;

function doit(p: DevlinkOpPolicy, fn: DevlinkDoit): (skb: NetlinkSkb, info: GenlInfo) => 0 | NegErrno {
  return (_skb, info) => {
    const pre = devlink_nl_pre_doit(info, p);
    if (pre.err || !pre.devlink) return pre.err;
    return fn(pre.devlink, pre.tb, info);
  };
}

function dumpit(p: DevlinkOpPolicy, one: DevlinkNlDumpOne): (cb: NetlinkCallback, info: GenlInfo) => 0 | NegErrno {
  return (cb, info) => devlink_nl_dumpit(cb, info, p, one);
}

/** devlink_nl_ops (v6.18): the modelled commands; do and dump halves merged per cmd. */
export const devlink_nl_ops: GenlOps[] = [
  {
    cmd: DEVLINK_CMD_GET, flags: 0,
    doit: doit(devlink_get_nl_policy, (d, _tb, info) => devlink_nl_get_doit(d, info)),
    dumpit: dumpit(devlink_get_dump_nl_policy, devlink_nl_get_dump_one),
  },
  {
    cmd: DEVLINK_CMD_ESWITCH_GET, flags: GENL_ADMIN_PERM,
    doit: doit(devlink_eswitch_get_nl_policy, (d, _tb, info) => devlink_nl_eswitch_get_doit(d, info)),
  },
  { cmd: DEVLINK_CMD_ESWITCH_SET, flags: GENL_ADMIN_PERM, doit: doit(devlink_eswitch_set_nl_policy, devlink_nl_eswitch_set_doit) },
  {
    cmd: DEVLINK_CMD_PARAM_GET, flags: 0,
    doit: doit(devlink_param_get_do_nl_policy, devlink_nl_param_get_doit),
    dumpit: dumpit(devlink_param_get_dump_nl_policy, devlink_nl_param_get_dump_one),
  },
  { cmd: DEVLINK_CMD_PARAM_SET, flags: GENL_ADMIN_PERM, doit: doit(devlink_param_set_nl_policy, devlink_nl_param_set_doit) },
];
