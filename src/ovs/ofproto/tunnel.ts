// ofproto/tunnel.c (v3.6.3), reduced to the megaflow wildcards a packet
// received on a tunnel port gets.
import { FLOW_TNL_F_KEY, type FlowTnl } from '../lib/match';
import { hop } from '../../trace/hop';

/**
 * tnl_wc_init: which tunnel fields a flow received from a tunnel port
 * matches. The key id and the endpoints are exact, the outer tos too, ttl
 * and the UDP ports are wildcarded, and of the flags only the key flag is
 * kept (it says whether tun_id is present); df, csum and oam are left to
 * OpenFlow, so an ordinary decap megaflow shows flags(+key).
 * Only IPv4 endpoints are modelled. `tnl` is the packet's tunnel metadata;
 * returns the mask, or null when the packet came from no tunnel.
 */
export const tnl_wc_init = hop('ofproto/tunnel.c', function tnl_wc_init(tnl: FlowTnl): FlowTnl | null {
  // ofproto/tunnel.c tnl_port_should_receive (v3.6.3): a tunnel destination is set.
  if (!tnl.ip_dst) return null;
  return { tun_id: 0xffffffffffffffffn, ip_src: 0xffffffff, ip_dst: 0xffffffff, ip_tos: 0xff, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags: FLOW_TNL_F_KEY };
}, { result: (m) => (m ? 'tunnel flags mask: key' : 'not from a tunnel') });
