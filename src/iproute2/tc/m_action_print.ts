// Fallback printer for action kinds whose upstream print_* is not emulated
// yet: prints the kind word only (as every upstream printer starts), so
// filter listings stay well-formed.
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY } from '../lib/json_print';
import type { TcProc } from './tc_common';

export function print_kind_only(kind: string): (p: TcProc, opt: NlAttr | undefined) => number {
  return (p) => {
    p.pr.print_string(PRINT_ANY, 'kind', '%s ', kind);
    p.pr.print_nl();
    return 0;
  };
}
