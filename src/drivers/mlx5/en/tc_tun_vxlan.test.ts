// core/en/tc_tun_vxlan.c mlx5e_gen_ip_tunnel_header_vxlan (v6.18): a tunnel_key
// set with vxlan_opts puts the GBP bits in the VXLAN header the NIC prepends
// (include/net/vxlan.h vxlan_build_gbp_hdr); a zero GBP leaves the header plain.
import { describe, expect, it } from 'vitest';
import { Host } from '../../../host/host';
import { defaultTopology } from '../../../host/topology';
import { runCommand } from '../../../host/commands';
import { invariantViolations } from '../../../host/invariants';

const SETUP = [
  'ip link add vxlan_sys_4789 type vxlan dstport 4789 external',
  'ip addr add 10.0.0.1/24 dev enp8s0f0',
  'ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent',
  'tc qdisc add dev enp8s0f0_0 ingress',
];
const encap = (prio: number, opts: string): string =>
  `tc filter add dev enp8s0f0_0 ingress protocol ip prio ${prio} flower skip_sw action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 ${opts} action mirred egress redirect dev vxlan_sys_4789`;

function host(): Host {
  const h = new Host(defaultTopology());
  for (const line of SETUP) {
    const r = runCommand(h, line);
    expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  }
  return h;
}

/** The 8 VXLAN header bytes of each reformat context (after eth 14 + ipv4 20 + udp 8), hex. */
function vxlanHeaders(h: Host): string[] {
  return h.nic().fw.packet_reformat_contexts().map((pr) => pr.reformat_data.slice(2 * 42, 2 * 50));
}

describe('VXLAN encap header with GBP options (mlx5e_gen_ip_tunnel_header_vxlan, v6.18)', () => {
  it.each([
    { name: 'no options: I flag and VNI only', opts: '', want: '0800000000002a00' },
    { name: 'GBP 0: the header stays plain', opts: 'vxlan_opts 0', want: '0800000000002a00' },
    { name: 'GBP policy id 16', opts: 'vxlan_opts 16', want: '8800001000002a00' },
    { name: 'GBP dont_learn + policy_applied + id 0x1234', opts: 'vxlan_opts 0x481234', want: '8848123400002a00' },
  ])('$name', ({ opts, want }) => {
    const h = host();
    const r = runCommand(h, encap(1, opts));
    expect(r.exitCode, `${encap(1, opts)}: ${r.stderr}`).toBe(0);
    expect(vxlanHeaders(h)).toEqual([want]);
    expect(invariantViolations(h)).toEqual([]);
  });

  it('two encaps that differ only in the GBP get two reformat contexts (encap_info_equal compares options)', () => {
    const h = host();
    for (const [prio, opts] of [[1, 'vxlan_opts 16'], [2, 'vxlan_opts 17'], [3, 'vxlan_opts 16']] as const) {
      const r = runCommand(h, encap(prio, opts));
      expect(r.exitCode, `${encap(prio, opts)}: ${r.stderr}`).toBe(0);
    }
    expect(vxlanHeaders(h).sort()).toEqual(['8800001000002a00', '8800001100002a00']);
  });

  it('erspan options on a vxlan encap are not VXLAN options: the header stays plain', () => {
    const h = host();
    const r = runCommand(h, encap(1, 'erspan_opts 1:12:0:0'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(vxlanHeaders(h)).toEqual(['0800000000002a00']);
  });
});
