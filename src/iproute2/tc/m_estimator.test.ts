// tc/tc_estimator.c tc_setup_estimator and the TCA_RATE a filter carries.
import { describe, expect, it } from 'vitest';
import { tc_encode } from '../tc_encode';
import { TCA_RATE } from '../../kernel/include/uapi/linux/pkt_sched';
import { nla_walk } from '../../netlink/attr';
import { get_time, tc_setup_estimator } from './m_estimator';

describe('tc_setup_estimator (tc 6.1)', () => {
  it.each([
    { A: '1sec', T: '8sec', want: { interval: 0, ewma_log: 3 } },
    { A: '250ms', T: '1sec', want: { interval: -2, ewma_log: 2 } },
    { A: '8s', T: '64s', want: { interval: 3, ewma_log: 3 } },
    { A: '10sec', T: '8sec', want: null },
    { A: '1sec', T: '1sec', want: null },
  ])('estimator $A $T', ({ A, T, want }) => {
    expect(tc_setup_estimator(get_time(A)!, get_time(T)!), `tc_setup_estimator(${A}, ${T})`).toEqual(want);
  });

  it('sends the two bytes of struct tc_estimator as TCA_RATE after the options', () => {
    const r = tc_encode('filter add dev v0 ingress protocol ip prio 1 estimator 1sec 8sec flower action drop'.split(' '), { v0: 3 });
    if (!('requests' in r)) throw new Error(r.stderr);
    const tca = nla_walk(r.requests[r.requests.length - 1]!.subarray(36)).attrs;
    const rate = tca.find((a) => a.type === TCA_RATE)!;
    expect(Buffer.from(rate.payload).toString('hex')).toBe('0003');
    expect(tca.map((a) => a.type).indexOf(TCA_RATE)).toBe(tca.length - 1);
  });

  it('refuses an interval above 8 seconds', () => {
    expect(tc_encode('filter add dev v0 ingress protocol ip prio 1 estimator 10sec 8sec flower action drop'.split(' '), { v0: 3 }))
      .toEqual({ exitCode: 255, stderr: 'Error: estimator parameters are out of range.\n' });
  });
});
