// tc/tc_common.h + the globals of tc/tc.c and tc/tc_filter.c (iproute2
// v6.1.0): everything upstream keeps in statics belongs to one TcProc, the
// state of one emulated `tc` process.
import type { RtnlHandle } from '../lib/libnetlink';
import type { LlMap } from '../lib/ll_map';
import type { JsonPrint } from '../lib/json_print';
import type { Stdio } from '../lib/utils';

export interface TcProc {
  io: Stdio;
  rth: RtnlHandle;
  ll: LlMap;
  pr: JsonPrint;
  // tc/tc.c option counters
  show_stats: number;
  show_details: number;
  show_raw: number;
  json: number;
  pretty: number;
  brief: number;
  oneline: number;
  numeric: number;
  // tc/tc_filter.c statics: what `show` filtered on, so print_filter omits it
  filter_parent: number;
  filter_ifindex: number;
  filter_prio: number;
  filter_protocol: number;
  filter_chain_index: number;
  filter_chain_index_set: boolean;
  filter_block_index: number;
  f_proto: number;
}

/** MAX_MSG of tc_util.h: the request buffer size (bounded, as upstream). */
export const MAX_MSG = 16384;
/** FILTER_NAMESZ */
export const FILTER_NAMESZ = 16;

import type { NlAttrBuf } from '../../netlink/msgbuf';
import type { NlAttr } from '../../netlink/attr';
import type { Args } from '../lib/utils';

/** struct action_util (tc/tc_util.h): one compiled-in action kind. */
export interface ActionUtil {
  id: string;
  /** Parses from args (which starts at the kind word) into a `tca_id` nest. */
  parse_aopt(p: TcProc, args: Args, tca_id: number, n: NlAttrBuf): number;
  print_aopt(p: TcProc, opt: NlAttr | undefined): number;
}
