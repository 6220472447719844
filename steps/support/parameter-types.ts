// The project's vocabulary as Cucumber parameter types, so steps read as the
// domain and a typo fails with the accepted values.
import { defineParameterType } from '@cucumber/cucumber';
import { PLACEMENTS, type Placement } from '../../src/host/query';
import { errnoFromName } from '../../src/kernel/include/uapi/asm-generic/errno';

defineParameterType({ name: 'tc_policy', regexp: /none|skip_sw|skip_hw/, transformer: (s: string) => s });

defineParameterType({
  name: 'placement',
  regexp: new RegExp(PLACEMENTS.map((p) => p.replace(/ /g, '\\s')).join('|')),
  transformer: (s: string): Placement => s as Placement,
});

defineParameterType({ name: 'netdev', regexp: /[A-Za-z][\w.-]*/, transformer: (s: string) => s });

// A hop is an upstream function name (or a firmware opcode).
defineParameterType({ name: 'hop', regexp: /[A-Za-z_][A-Za-z0-9_]*/, transformer: (s: string) => s });

defineParameterType({ name: 'on_off', regexp: /enabled|disabled/, transformer: (s: string) => s === 'enabled' });

defineParameterType({ name: 'accepts_refuses', regexp: /accepts|refuses/, transformer: (s: string) => s === 'accepts' });

defineParameterType({
  name: 'errno',
  regexp: /-?E[A-Z0-9]+|-?\d+/,
  transformer: (s: string): number => {
    const n = errnoFromName(s);
    if (n === undefined) throw new Error(`unknown errno "${s}"`);
    return s.startsWith('-') ? -n : n;
  },
});

defineParameterType({
  name: 'hex',
  regexp: /0x[0-9a-fA-F]+/,
  transformer: (s: string): number => parseInt(s, 16),
});
