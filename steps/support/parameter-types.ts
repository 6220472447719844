// The project's vocabulary as Cucumber parameter types, so steps read as the
// domain and a typo fails with the accepted values.
import { defineParameterType } from '@cucumber/cucumber';
import { PLACEMENTS, type Placement } from '../../src/host/query';
import { errnoFromName } from '../../src/kernel/include/uapi/asm-generic/errno';
import { LAYERS, type Layer } from '../../src/trace/layers';

// OVS other_config:tc-policy values (vswitchd/vswitch.xml).
defineParameterType({ name: 'tc_policy', regexp: /none|skip_sw|skip_hw/, transformer: (s: string) => s });

// Where a datapath flow ended up, as `the flow is in …` states it.
defineParameterType({
  name: 'placement',
  regexp: new RegExp(PLACEMENTS.map((p) => p.replace(/ /g, '\\s')).join('|')),
  transformer: (s: string): Placement => s as Placement,
});

// A network device name of the host's topology (checked when used, with a did-you-mean).
// Narrow on purpose (a letter, then a digit somewhere: enp8s0f0_0, br0, v1),
// so snippets for undefined steps do not read every word as a device.
defineParameterType({ name: 'netdev', regexp: /[A-Za-z][A-Za-z_.-]*\d[\w.-]*/, transformer: (s: string) => s });

// A hop is an upstream function name (or a firmware opcode).
// Upstream names have an underscore (fl_change, mlx5_cmd_exec, SET_FLOW_TABLE_ENTRY),
// which keeps ordinary words out of snippets.
defineParameterType({ name: 'hop', regexp: /_?[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+/, transformer: (s: string) => s });

// A boolean setting: enabled or disabled.
defineParameterType({ name: 'on_off', regexp: /enabled|disabled/, transformer: (s: string) => s === 'enabled' });

// Whether the driver takes a flow: accepts or refuses.
defineParameterType({ name: 'accepts_refuses', regexp: /accepts|refuses/, transformer: (s: string) => s === 'accepts' });

// An errno by name (EOPNOTSUPP, -EINVAL) or number; the sign is for the reader.
defineParameterType({
  name: 'errno',
  regexp: /-?E[A-Z][A-Z0-9]+/,
  transformer: (s: string): number => {
    const n = errnoFromName(s);
    if (n === undefined) throw new Error(`unknown errno "${s}"`);
    return s.startsWith('-') ? -n : n;
  },
});

// A hexadecimal number such as a firmware status or syndrome (0x3).
defineParameterType({
  name: 'hex',
  regexp: /0x[0-9a-fA-F]+/,
  transformer: (s: string): number => parseInt(s, 16),
});

// "holds" or "lacks" (a firmware object), as a boolean.
defineParameterType({ name: 'holds_lacks', regexp: /holds|lacks/, transformer: (s: string) => s === 'holds' });

// A lane of the hop diagram: user, netlink, tc, ovs_dp, mlx5_en, mlx5_fs or firmware.
defineParameterType({
  name: 'layer',
  regexp: new RegExp(LAYERS.map((l) => l.id).join('|')),
  transformer: (s: string): Layer => s as Layer,
});

// Whether the trace got somewhere: reaches or does not reach.
defineParameterType({ name: 'reaches_or_not', regexp: /reaches|does not reach/, transformer: (s: string) => s === 'reaches' });

// An ODP flow key as ovs-dpctl and ovs-appctl dpctl/* take it, in double
// quotes: "recirc_id(0),in_port(2),eth(…),eth_type(0x0800),ipv4(…)". OVS
// itself parses it when the step runs, with its own error messages.
defineParameterType({
  name: 'odp_flow',
  regexp: /"((?:ufid:|recirc_id|dp_hash|skb_priority|skb_mark|tunnel|in_port|eth|ct_)[^"]*)"/,
  transformer: (s: string) => s,
});

// A tc command line in double quotes: "tc filter add dev … flower …".
defineParameterType({ name: 'tc_command', regexp: /"(tc [^"]*)"/, transformer: (s: string) => s });
