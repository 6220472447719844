import { describe, expect, it } from 'vitest';
import { Host, fteKey } from '../../../host/host';
import { defaultTopology, setDeviceCap } from '../../../host/topology';
import { runCommand } from '../../../host/commands';
import { flatten } from '../../../trace/query';

const VXLAN = 'ip link add vxlan_sys_4789 type vxlan dstport 4789 external';
const DECAP = 'tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0';
const ENCAP = 'tc filter add dev enp8s0f0_0 ingress protocol ip flower action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789';

function host(cap?: string): Host {
  const t = defaultTopology();
  if (cap) setDeviceCap(t, cap, false);
  return new Host(t);
}

function run(h: Host, line: string): { stdout: string; stderr: string; exitCode: number } {
  return runCommand(h, line);
}

function ok(h: Host, ...lines: string[]): void {
  for (const line of lines) {
    const r = run(h, line);
    expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  }
}

/** Rules the scenario made (not boot tables, not the chain tables' miss entries). */
function newFtes(h: Host) {
  const nic = h.nic();
  return nic.fw.ftes().filter((f) => !nic.boot_ftes.has(fteKey(f)) && f.match_criteria_enable !== 0);
}

function hops(h: Host): string[] {
  return flatten(h.tracer.all()).map((x) => x.fn);
}

describe('VXLAN decap through the indirect block (en/rep/tc.c, tc_tun.c v6.18)', () => {
  it('binds the vxlan device block to the uplink and offloads a decap rule (in_hw_count 1)', () => {
    const h = host();
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'tc qdisc add dev vxlan_sys_4789 ingress');
    h.tracer.reset();
    ok(h, DECAP);
    expect(hops(h)).toEqual(expect.arrayContaining(['mlx5e_rep_indr_setup_tc_cb', 'parse_tunnel_attr', 'mlx5e_tc_tun_parse', 'mlx5e_tc_tun_route_lookup']));
    const out = run(h, 'tc filter show dev vxlan_sys_4789 ingress').stdout;
    expect(out).toContain('in_hw in_hw_count 1');
    const ftes = newFtes(h);
    expect(ftes).toHaveLength(1);
    expect(ftes[0]!.action).toEqual(expect.arrayContaining(['FWD_DEST', 'DECAP', 'COUNT']));
    expect(ftes[0]!.match_value['misc_parameters.vxlan_vni']).toBe(42);
    expect(ftes[0]!.match_value['outer_headers.udp_dport']).toBe(4789);
  });

  const refusals = [
    { name: 'no local tunnel address: no route back to the sender', setup: [] as string[], filter: DECAP, extack: '' },
    { name: 'unregistered VXLAN port', setup: ['ip addr add 10.0.0.1/24 dev enp8s0f0'], filter: DECAP.replace('enc_dst_port 4789', 'enc_dst_port 8472'), extack: 'Matched UDP dst port is not registered as a VXLAN port' },
    { name: 'no enc_dst_port', setup: ['ip addr add 10.0.0.1/24 dev enp8s0f0'], filter: DECAP.replace(' enc_dst_port 4789', ''), extack: 'Failed to parse tunnel attributes' },
  ];
  it.each(refusals)('$name: not_in_hw', ({ setup, filter, extack }) => {
    const h = host();
    ok(h, VXLAN, ...setup, 'tc qdisc add dev vxlan_sys_4789 ingress');
    ok(h, filter);
    const out = run(h, 'tc filter show dev vxlan_sys_4789 ingress').stdout;
    expect(out).toContain('not_in_hw');
    expect(newFtes(h)).toHaveLength(0);
    if (extack) expect(h.kernel.net.kmsg.map((l) => l.text).join('\n')).toContain(extack === 'Failed to parse tunnel attributes' ? extack : extack.replace('Matched UDP dst port is not registered as a VXLAN port', 'UDP port 8472 is not registered as a VXLAN port'));
  });

  it('skip_sw on a tunnel device block is refused before any driver sees it (nooffloaddevcnt)', () => {
    const h = host();
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'tc qdisc add dev vxlan_sys_4789 ingress');
    const r = run(h, DECAP.replace(' flower ', ' flower skip_sw '));
    expect(r.exitCode).not.toBe(0);
    expect(newFtes(h)).toHaveLength(0);
  });

  it('a device without vxlan_encap_decap does not bind the block: not_in_hw', () => {
    const h = host('vxlan_encap_decap');
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'tc qdisc add dev vxlan_sys_4789 ingress', DECAP);
    expect(run(h, 'tc filter show dev vxlan_sys_4789 ingress').stdout).toContain('not_in_hw');
  });
});

describe('VXLAN encap (tc_tun_encap.c v6.18)', () => {
  it('with an unresolved neighbour: in_hw on the slow path, no reformat; the neighbour update moves it to the encap rule', () => {
    const h = host();
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'tc qdisc add dev enp8s0f0_0 ingress');
    h.tracer.reset();
    ok(h, ENCAP);
    expect(hops(h)).toContain('mlx5e_tc_offload_to_slow_path');
    expect(run(h, 'tc filter show dev enp8s0f0_0 ingress').stdout).toContain('in_hw in_hw_count 1');
    const nic = h.nic();
    let ftes = newFtes(h);
    expect(ftes).toHaveLength(1);
    expect(ftes[0]!.action).toEqual(['FWD_DEST']);
    expect(nic.fw.packet_reformat_contexts()).toHaveLength(0);

    h.tracer.reset();
    ok(h, 'ip neigh replace 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud reachable');
    expect(hops(h)).toEqual(expect.arrayContaining(['mlx5e_rep_neigh_update', 'mlx5e_tc_encap_flows_add', 'mlx5e_tc_unoffload_from_slow_path']));
    ftes = newFtes(h);
    expect(ftes).toHaveLength(1);
    expect(ftes[0]!.action).toEqual(expect.arrayContaining(['FWD_DEST', 'PACKET_REFORMAT', 'COUNT']));
    const [pr] = nic.fw.packet_reformat_contexts();
    expect(pr!.reformat_data_size).toBe(50);
    expect(pr!.reformat_data.startsWith('0c42a1000002')).toBe(true);
    expect(ftes[0]!.packet_reformat_id).toBe(pr!.packet_reformat_id);

    ok(h, 'tc filter del dev enp8s0f0_0 ingress');
    expect(newFtes(h)).toHaveLength(0);
    expect(nic.fw.packet_reformat_contexts()).toHaveLength(0);
  });

  it('with a resolved neighbour: the encap rule at once', () => {
    const h = host();
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent',
      'tc qdisc add dev enp8s0f0_0 ingress', ENCAP);
    const ftes = newFtes(h);
    expect(ftes).toHaveLength(1);
    expect(ftes[0]!.action).toContain('PACKET_REFORMAT');
  });

  it('without a route to the remote endpoint: not_in_hw (-ENETUNREACH)', () => {
    const h = host();
    ok(h, VXLAN, 'tc qdisc add dev enp8s0f0_0 ingress', ENCAP);
    expect(run(h, 'tc filter show dev enp8s0f0_0 ingress').stdout).toContain('not_in_hw');
    expect(newFtes(h)).toHaveLength(0);
  });
});

describe('tunnel options on the VXLAN decap path (tc_tun_vxlan.c v6.18)', () => {
  const verbose = (opts: string): string => DECAP.replace(' flower ', ' flower verbose ').replace(' action tunnel_key', ` ${opts} action tunnel_key`);
  it.each([
    { name: 'a GBP match needs tunnel_header_0_1, which the device lacks', opts: 'vxlan_opts 16', errno: -95 },
    { name: 'geneve options on a VXLAN device stop at the same capability', opts: 'geneve_opts 0102:80:00001111', errno: -95 },
  ])('$name', ({ opts, errno }) => {
    const h = host();
    ok(h, VXLAN, 'ip addr add 10.0.0.1/24 dev enp8s0f0', 'tc qdisc add dev vxlan_sys_4789 ingress');
    h.tracer.reset();
    const r = run(h, verbose(opts));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: mlx5_core: Failed to parse tunnel attributes.');
    const gbp = flatten(h.tracer.all()).find((x) => x.fn === 'mlx5e_tc_tun_parse_vxlan_gbp_option');
    expect(gbp?.errno, 'mlx5e_tc_tun_parse_vxlan_gbp_option').toBe(errno);
    expect(newFtes(h)).toHaveLength(0);
  });
});
