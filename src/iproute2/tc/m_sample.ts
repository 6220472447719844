// tc/m_sample.c (iproute2 v6.1.0): packet sampling to a psample group.
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  TCA_SAMPLE_PARMS, TCA_SAMPLE_PSAMPLE_GROUP, TCA_SAMPLE_RATE, TCA_SAMPLE_TRUNC_SIZE,
} from '../include/uapi/linux/tc_act/tc_sample';
import { Args, TcExit, get_u32, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { StructReader, nla_get_u32 } from '../../netlink/attr';
import { TCA_SAMPLE_MAX, TCA_SAMPLE_TM } from '../../kernel/include/uapi/linux/tc_act/tc_sample';
import { parse_action_control_dflt } from './tc_util';

function usage(p: TcProc): never {
  p.io.stderr('Usage: sample SAMPLE_CONF\n' +
    'where:\n' +
    '\tSAMPLE_CONF := SAMPLE_PARAMS | SAMPLE_INDEX\n' +
    '\tSAMPLE_PARAMS := rate RATE group GROUP [trunc SIZE] [SAMPLE_INDEX]\n' +
    '\tSAMPLE_INDEX := index INDEX\n' +
    '\tRATE := The ratio of packets observed at the data source to the samples generated.\n' +
    '\tGROUP := the psample sampling group\n' +
    '\tSIZE := the truncation size\n' +
    '\tINDEX := integer index of the sample action\n');
  throw new TcExit(-1);
}

// tc/m_sample.c parse_sample
export const parse_sample = hop('tc/m_sample.c', function parse_sample(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let rate: number | undefined;
  let group: number | undefined;
  let trunc: number | undefined;
  let index = 0;
  if (args.argc <= 1) {
    p.io.stderr(`sample bad argument count ${args.argc}\n`);
    usage(p);
  }
  if (!matches(args.cur!, 'sample')) args.next(p.io);
  else {
    p.io.stderr(`sample bad argument ${args.cur!}\n`);
    return -1;
  }
  while (args.argc > 0) {
    const c = args.cur!;
    const num = (what: string): number => {
      args.next(p.io);
      const v = get_u32(args.cur, 10);
      if (v === null) {
        p.io.stderr(`${what} ${args.cur!}\n`);
        usage(p);
      }
      return v;
    };
    if (!matches(c, 'rate')) rate = num('Illegal rate');
    else if (!matches(c, 'group')) group = num('Illegal group num');
    else if (!matches(c, 'trunc')) trunc = num('Illegal truncation size');
    else if (!matches(c, 'help')) usage(p);
    else break;
    args.fwd();
  }
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr('sample: Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
  }
  if (!index && group === undefined) {
    p.io.stderr('param "group" not set\n');
    usage(p);
  }
  if (!index && rate === undefined) {
    p.io.stderr('param "rate" not set\n');
    usage(p);
  }
  const tail = n.nestStart(tca_id);
  n.attr(TCA_SAMPLE_PARMS, new StructWriter(20).u32(0, index).s32(8, ctl).bytes);
  if (rate !== undefined) n.u32(TCA_SAMPLE_RATE, rate);
  if (group !== undefined) n.u32(TCA_SAMPLE_PSAMPLE_GROUP, group);
  if (trunc !== undefined) n.u32(TCA_SAMPLE_TRUNC_SIZE, trunc);
  n.nestEnd(tail);
  return 0;
});

// tc/m_sample.c print_sample
function print_sample(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'sample');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_SAMPLE_MAX, arg.payload);
  if (!tb[TCA_SAMPLE_PARMS] || !tb[TCA_SAMPLE_RATE] || !tb[TCA_SAMPLE_PSAMPLE_GROUP]) {
    p.io.stderr('Missing sample parameters\n');
    return -1;
  }
  const parm = new StructReader(tb[TCA_SAMPLE_PARMS].payload);
  p.pr.print_uint(PRINT_ANY, 'rate', 'rate 1/%u ', nla_get_u32(tb[TCA_SAMPLE_RATE]));
  p.pr.print_uint(PRINT_ANY, 'group', 'group %u', nla_get_u32(tb[TCA_SAMPLE_PSAMPLE_GROUP]));
  if (tb[TCA_SAMPLE_TRUNC_SIZE]) p.pr.print_uint(PRINT_ANY, 'trunc_size', ' trunc_size %u', nla_get_u32(tb[TCA_SAMPLE_TRUNC_SIZE]));
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_SAMPLE_TM]) print_tm(p, tb[TCA_SAMPLE_TM].payload);
  p.pr.print_nl();
  return 0;
}
void PRINT_FP; void PRINT_JSON;

export const sample_action_util: ActionUtil = {
  id: 'sample', parse_aopt: parse_sample, print_aopt: print_sample,
};
