import { describe, expect, it } from 'vitest';
import { FLOW_TNL_F_CSUM, FLOW_TNL_F_DONT_FRAGMENT, FLOW_TNL_F_KEY, type FlowTnl } from '../lib/match';
import { tnl_wc_init } from './tunnel';

const tnl = (over: Partial<FlowTnl>): FlowTnl => ({
  tun_id: 0x2an, ip_src: 0x0a000002, ip_dst: 0x0a000001, ip_tos: 0, ip_ttl: 64, tp_src: 51000, tp_dst: 4789,
  flags: FLOW_TNL_F_KEY | FLOW_TNL_F_CSUM | FLOW_TNL_F_DONT_FRAGMENT, ...over,
});

describe('tnl_wc_init (ofproto/tunnel.c)', () => {
  it('keeps only the key flag, the id, the endpoints and tos; ttl and ports wildcarded', () => {
    expect(tnl_wc_init(tnl({}))).toEqual({
      tun_id: 0xffffffffffffffffn, ip_src: 0xffffffff, ip_dst: 0xffffffff, ip_tos: 0xff, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags: FLOW_TNL_F_KEY,
    });
  });

  it('gives no tunnel mask to a packet that came from no tunnel', () => {
    expect(tnl_wc_init(tnl({ ip_dst: 0 })), 'tnl_wc_init(ip_dst=0)').toBeNull();
  });
});
