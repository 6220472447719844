// The devlink family over real generic-netlink bytes: a user socket resolves
// "devlink" through nlctrl, then eswitch and param requests reach a fake
// driver's ops; replies and errors come back as netlink messages.
import { describe, expect, it } from 'vitest';
import { start_kernel, type Kernel } from '../../init/main';
import type { Devlink, DevlinkOps } from '../../include/net/devlink';
import { DEVLINK_PARAM_CMODE_BIT, DEVLINK_PARAM_DRIVER } from '../../include/net/devlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { EBUSY, EINVAL, ENODEV, EOPNOTSUPP, EPERM, ERANGE, errnoName } from '../../include/uapi/asm-generic/errno';
import {
  NETLINK_EXT_ACK, NETLINK_GENERIC, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, SOL_NETLINK,
} from '../../include/uapi/linux/netlink';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, GENL_ID_CTRL } from '../../include/uapi/linux/genetlink';
import {
  DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME, DEVLINK_ATTR_ESWITCH_ENCAP_MODE, DEVLINK_ATTR_ESWITCH_INLINE_MODE,
  DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ATTR_PARAM, DEVLINK_ATTR_PARAM_NAME, DEVLINK_ATTR_PARAM_TYPE,
  DEVLINK_ATTR_PARAM_VALUE, DEVLINK_ATTR_PARAM_VALUE_CMODE, DEVLINK_ATTR_PARAM_VALUE_DATA,
  DEVLINK_ATTR_PARAM_VALUES_LIST, DEVLINK_CMD_ESWITCH_GET, DEVLINK_CMD_ESWITCH_SET, DEVLINK_CMD_GET,
  DEVLINK_CMD_PARAM_GET, DEVLINK_CMD_PARAM_SET, DEVLINK_ESWITCH_MODE_LEGACY, DEVLINK_ESWITCH_MODE_SWITCHDEV,
  DEVLINK_PARAM_CMODE_DRIVERINIT, DEVLINK_PARAM_CMODE_RUNTIME, DEVLINK_PARAM_TYPE_STRING,
} from '../../include/uapi/linux/devlink';
import { NlMsgBuilder, StructReader, nla_get_string, nla_get_u16, nla_get_u8, nla_walk, type NlAttr } from '../../../netlink/attr';
import { nlmsg_split, type NlMsg } from '../../../netlink/nlmsg';
import { genlmsghdr_encode, nlmsgerr_decode, GENL_HDRLEN } from '../../../netlink/structs';
import type { NetlinkSocket } from '../../syscall';
import { devlink_alloc, devl_register } from './core';
import { devl_params_register } from './param';

/** A fake driver: mode and one string parameter, with a switch to refuse changes. */
function fakeDriver(k: Kernel): { devlink: Devlink; state: { mode: number; busy: boolean; calls: string[]; value: string } } {
  const state = { mode: DEVLINK_ESWITCH_MODE_SWITCHDEV, busy: false, calls: [] as string[], value: 'one' };
  const ops: DevlinkOps = {
    eswitch_mode_get: () => ({ err: 0, mode: state.mode }),
    eswitch_mode_set: (_d, mode, extack) => {
      state.calls.push(`mode_set ${mode}`);
      if (state.busy) {
        NL_SET_ERR_MSG(extack, 'fake: busy');
        return -EBUSY;
      }
      state.mode = mode;
      return 0;
    },
  };
  const devlink = devlink_alloc(ops, state, k.net, 'pci', '0000:01:00.0');
  devl_params_register(devlink, [DEVLINK_PARAM_DRIVER({
    id: 1001, name: 'knob', type: DEVLINK_PARAM_TYPE_STRING, supported_cmodes: DEVLINK_PARAM_CMODE_BIT(DEVLINK_PARAM_CMODE_RUNTIME),
    get: (_d, _id, ctx) => { ctx.val = state.value; return 0; },
    set: (_d, _id, ctx) => { state.value = String(ctx.val); return 0; },
    validate: (_d, _id, v, extack) => {
      if (v === 'bad') { NL_SET_ERR_MSG(extack, 'fake: bad value'); return -EINVAL; }
      return 0;
    },
  })]);
  devl_register(devlink);
  return { devlink, state };
}

interface Answer { msgs: NlMsg[]; error?: number; extack?: string }

class Client {
  readonly sock: NetlinkSocket;
  family = 0;
  private seq = 100;
  constructor(k: Kernel, cap_net_admin = true) {
    const s = k.syscalls.netlink_socket(NETLINK_GENERIC, { cap_net_admin });
    if (typeof s === 'number') throw new Error(`socket: ${s}`);
    this.sock = s;
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
    const a = this.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, (b) => b.string(CTRL_ATTR_FAMILY_NAME, 'devlink'));
    this.family = nla_get_u16(attrs(a.msgs[0]!).get(CTRL_ATTR_FAMILY_ID)!);
  }
  request(type: number, cmd: number, flags: number, put: (b: NlMsgBuilder) => void): Answer {
    const b = new NlMsgBuilder({ nlmsg_type: type, nlmsg_flags: NLM_F_REQUEST | NLM_F_ACK | flags, nlmsg_seq: ++this.seq, nlmsg_pid: 0 });
    b.put(genlmsghdr_encode({ cmd, version: 1 }));
    put(b);
    this.sock.sendmsg(b.finish());
    const out: Answer = { msgs: [] };
    for (let buf = this.sock.recvmsg(); buf; buf = this.sock.recvmsg()) {
      for (const m of nlmsg_split(buf).msgs) {
        if (m.hdr.nlmsg_type === NLMSG_ERROR) {
          const e = nlmsgerr_decode(m.payload, m.hdr.nlmsg_flags);
          if (e.ok) { out.error = e.value.error; out.extack = e.value.ext_msg; }
        } else if (m.hdr.nlmsg_type === NLMSG_DONE) {
          out.error = new StructReader(m.payload).s32(0);
        } else out.msgs.push(m);
      }
    }
    return out;
  }
  devlink(cmd: number, put: (b: NlMsgBuilder) => void = handle, flags = 0): Answer {
    return this.request(this.family, cmd, flags, put);
  }
}

const handle = (b: NlMsgBuilder): void => { b.string(DEVLINK_ATTR_BUS_NAME, 'pci').string(DEVLINK_ATTR_DEV_NAME, '0000:01:00.0'); };

function attrs(m: NlMsg): Map<number, NlAttr> {
  return new Map(nla_walk(m.payload.subarray(GENL_HDRLEN)).attrs.map((a) => [a.type, a]));
}
function nested(a: NlAttr): Map<number, NlAttr> {
  return new Map(nla_walk(a.payload).attrs.map((x) => [x.type, x]));
}
function want(call: string, got: number | undefined, expected: number): void {
  expect(errnoName(got ?? 0), `${call}: got ${errnoName(got ?? 0)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

describe('devlink family over generic netlink', () => {
  it('nlctrl resolves "devlink" to a dynamic family id', () => {
    const k = start_kernel();
    expect(new Client(k).family).toBeGreaterThanOrEqual(GENL_ID_CTRL + 3);
  });

  it('DEVLINK_CMD_ESWITCH_GET answers the handle and the mode (u16); no inline/encap ops, no attributes', () => {
    const k = start_kernel();
    fakeDriver(k);
    const a = new Client(k).devlink(DEVLINK_CMD_ESWITCH_GET);
    want('ESWITCH_GET', a.error, 0);
    const tb = attrs(a.msgs[0]!);
    expect(nla_get_string(tb.get(DEVLINK_ATTR_BUS_NAME)!)).toBe('pci');
    expect(nla_get_string(tb.get(DEVLINK_ATTR_DEV_NAME)!)).toBe('0000:01:00.0');
    expect(nla_get_u16(tb.get(DEVLINK_ATTR_ESWITCH_MODE)!)).toBe(DEVLINK_ESWITCH_MODE_SWITCHDEV);
    expect(tb.has(DEVLINK_ATTR_ESWITCH_INLINE_MODE)).toBe(false);
    expect(tb.has(DEVLINK_ATTR_ESWITCH_ENCAP_MODE)).toBe(false);
  });

  it.each([
    { name: 'mode set reaches the driver', put: (b: NlMsgBuilder) => { handle(b); b.u16(DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ESWITCH_MODE_LEGACY); }, busy: false, err: 0, extack: undefined, calls: ['mode_set 0'] },
    { name: 'the driver\'s refusal and extack come back', put: (b: NlMsgBuilder) => { handle(b); b.u16(DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ESWITCH_MODE_LEGACY); }, busy: true, err: -EBUSY, extack: 'fake: busy', calls: ['mode_set 0'] },
    { name: 'mode beyond NLA_POLICY_MAX(1)', put: (b: NlMsgBuilder) => { handle(b); b.u16(DEVLINK_ATTR_ESWITCH_MODE, 2); }, busy: false, err: -ERANGE, extack: 'integer out of range', calls: [] },
    { name: 'inline mode without the op', put: (b: NlMsgBuilder) => { handle(b); b.u8(DEVLINK_ATTR_ESWITCH_INLINE_MODE, 0); }, busy: false, err: -EOPNOTSUPP, extack: undefined, calls: [] },
    { name: 'no handle', put: (_b: NlMsgBuilder) => undefined, busy: false, err: -EINVAL, extack: undefined, calls: [] },
    { name: 'unknown device', put: (b: NlMsgBuilder) => { b.string(DEVLINK_ATTR_BUS_NAME, 'pci').string(DEVLINK_ATTR_DEV_NAME, '0000:99:00.0'); }, busy: false, err: -ENODEV, extack: undefined, calls: [] },
  ])('ESWITCH_SET: $name', ({ put, busy, err, extack, calls }) => {
    const k = start_kernel();
    const { state } = fakeDriver(k);
    state.busy = busy;
    const a = new Client(k).devlink(DEVLINK_CMD_ESWITCH_SET, put);
    want('ESWITCH_SET', a.error, err);
    expect(a.extack).toBe(extack);
    expect(state.calls).toEqual(calls);
  });

  it('ESWITCH_SET needs CAP_NET_ADMIN (GENL_ADMIN_PERM)', () => {
    const k = start_kernel();
    fakeDriver(k);
    const a = new Client(k, false).devlink(DEVLINK_CMD_ESWITCH_SET, (b) => { handle(b); b.u16(DEVLINK_ATTR_ESWITCH_MODE, 0); });
    want('ESWITCH_SET unprivileged', a.error, -EPERM);
  });

  it('DEVLINK_CMD_GET dump lists every registered instance', () => {
    const k = start_kernel();
    fakeDriver(k);
    const a = new Client(k).devlink(DEVLINK_CMD_GET, () => undefined, NLM_F_DUMP);
    want('GET dump', a.error, 0);
    expect(a.msgs.map((m) => nla_get_string(attrs(m).get(DEVLINK_ATTR_DEV_NAME)!))).toEqual(['0000:01:00.0']);
  });

  it('PARAM_GET: name, type and one value per supported cmode', () => {
    const k = start_kernel();
    fakeDriver(k);
    const a = new Client(k).devlink(DEVLINK_CMD_PARAM_GET, (b) => { handle(b); b.string(DEVLINK_ATTR_PARAM_NAME, 'knob'); });
    want('PARAM_GET', a.error, 0);
    const p = nested(attrs(a.msgs[0]!).get(DEVLINK_ATTR_PARAM)!);
    expect(nla_get_string(p.get(DEVLINK_ATTR_PARAM_NAME)!)).toBe('knob');
    expect(nla_get_u8(p.get(DEVLINK_ATTR_PARAM_TYPE)!)).toBe(DEVLINK_PARAM_TYPE_STRING);
    const values = nla_walk(p.get(DEVLINK_ATTR_PARAM_VALUES_LIST)!.payload).attrs;
    expect(values.map((v) => v.type)).toEqual([DEVLINK_ATTR_PARAM_VALUE]);
    const v = nested(values[0]!);
    expect(nla_get_u8(v.get(DEVLINK_ATTR_PARAM_VALUE_CMODE)!)).toBe(DEVLINK_PARAM_CMODE_RUNTIME);
    expect(nla_get_string(v.get(DEVLINK_ATTR_PARAM_VALUE_DATA)!)).toBe('one');
  });

  const setKnob = (value: string, cmode: number, type = DEVLINK_PARAM_TYPE_STRING) => (b: NlMsgBuilder) => {
    handle(b);
    b.string(DEVLINK_ATTR_PARAM_NAME, 'knob').u8(DEVLINK_ATTR_PARAM_TYPE, type).string(DEVLINK_ATTR_PARAM_VALUE_DATA, value).u8(DEVLINK_ATTR_PARAM_VALUE_CMODE, cmode);
  };
  it.each([
    { name: 'runtime set stores the value', put: setKnob('two', DEVLINK_PARAM_CMODE_RUNTIME), err: 0, extack: undefined, value: 'two' },
    { name: 'the validate callback refuses with its extack', put: setKnob('bad', DEVLINK_PARAM_CMODE_RUNTIME), err: -EINVAL, extack: 'fake: bad value', value: 'one' },
    { name: 'an unsupported cmode', put: setKnob('two', DEVLINK_PARAM_CMODE_DRIVERINIT), err: -EOPNOTSUPP, extack: undefined, value: 'one' },
    { name: 'a type other than the parameter\'s', put: setKnob('two', DEVLINK_PARAM_CMODE_RUNTIME, 1), err: -EINVAL, extack: undefined, value: 'one' },
    { name: 'an invalid type value', put: setKnob('two', DEVLINK_PARAM_CMODE_RUNTIME, 9), err: -EINVAL, extack: 'invalid enum value', value: 'one' },
    { name: 'an unknown name', put: (b: NlMsgBuilder) => { handle(b); b.string(DEVLINK_ATTR_PARAM_NAME, 'nope'); }, err: -EINVAL, extack: undefined, value: 'one' },
  ])('PARAM_SET: $name', ({ put, err, extack, value }) => {
    const k = start_kernel();
    const { state } = fakeDriver(k);
    const a = new Client(k).devlink(DEVLINK_CMD_PARAM_SET, put);
    want('PARAM_SET', a.error, err);
    expect(a.extack).toBe(extack);
    expect(state.value).toBe(value);
  });

  it('two hosts keep separate instances', () => {
    const k1 = start_kernel();
    const k2 = start_kernel();
    fakeDriver(k1);
    const a = new Client(k2).devlink(DEVLINK_CMD_ESWITCH_GET);
    want('ESWITCH_GET on the other host', a.error, -ENODEV);
  });
});
