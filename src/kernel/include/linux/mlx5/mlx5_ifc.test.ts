// fte_match_param field encoding: the number fast paths give exactly what the
// BigInt definition gives, for every modelled field.
import { describe, expect, it } from 'vitest';
import {
  FTE_MATCH_PARAM_FIELDS, MLX5_GET, MLX5_SET, MLX5_SET_TO_ONES, fte_field_from_bits, fte_field_to_bits,
  fte_match_param_equal, fte_match_param_key, fte_match_value_outside_criteria, type FteMatchParam,
} from './mlx5_ifc';

/** MLX5_SET by its definition: to bits, cut to the width, back to the readable form. */
function setByBits(p: FteMatchParam, path: string, v: number | string): void {
  const { bits } = FTE_MATCH_PARAM_FIELDS.get(path)!;
  const b = fte_field_to_bits(path, v) & ((1n << BigInt(bits)) - 1n);
  if (b === 0n) delete p[path];
  else p[path] = fte_field_from_bits(path, b);
}

function samples(kind: string, bits: number): (number | string)[] {
  const out: (number | string)[] = [0, 1, 0x7f, 0xffff, 0xffffffff, 2 ** bits - 1, 2 ** 40 + 3, 123456789];
  if (kind === 'ipv4') out.push('10.0.0.1', '0.0.0.0', '255.255.255.255', '1.2.3', '010.1.1.1', '300.0.0.1');
  if (kind === 'mac') out.push('02:00:00:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '2:0:0:0:0:1', 'AB:cd:EF:01:23:45');
  if (kind === 'ipv6') out.push('fe80::1', '::', '2001:db8::ff00:42:8329');
  return out;
}

describe('mlx5_ifc field encoding', () => {
  const fields = [...FTE_MATCH_PARAM_FIELDS].map(([path, d]) => ({ path, kind: d.kind, bits: d.bits }));
  it.each(fields)('$path ($kind, $bits bits): MLX5_SET and fte_field_to_bits as by BigInt', ({ path, kind, bits }) => {
    for (const v of samples(kind, bits)) {
      const want: FteMatchParam = {};
      let threw = false;
      try { setByBits(want, path, v); } catch { threw = true; }
      if (threw) continue;
      const got: FteMatchParam = {};
      MLX5_SET(got, path, v);
      expect(got, `MLX5_SET(${path}, ${String(v)})`).toEqual(want);
      if (want[path] !== undefined) expect(MLX5_GET(got, path)).toBe(fte_field_to_bits(path, want[path]!));
    }
    const ones: FteMatchParam = {};
    MLX5_SET_TO_ONES(ones, path);
    expect(MLX5_GET(ones, path)).toBe((1n << BigInt(bits)) - 1n);
  });

  it('fte_field_to_bits of text', () => {
    expect(fte_field_to_bits('outer_headers.dmac_47_16', '02:00:00:00:00:01')).toBe(0x020000000001n);
    expect(fte_field_to_bits('outer_headers.dmac_47_16', '2:0:1')).toBe(0x201n);
    expect(fte_field_to_bits('outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4', '10.0.0.1')).toBe(0x0a000001n);
    expect(fte_field_to_bits('outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4', '1.2.3')).toBe(0x010203n);
  });

  it('fte_match_param_key is equal exactly when fte_match_param_equal holds', () => {
    const ps: FteMatchParam[] = [
      {}, { 'outer_headers.ethertype': 0xffff }, { 'outer_headers.ethertype': 0xffff, 'outer_headers.ip_protocol': 0xff },
      { 'outer_headers.ip_protocol': 0xff, 'outer_headers.ethertype': 0xffff }, { 'outer_headers.ethertype': 0 },
      { 'outer_headers.dmac_47_16': 'ff:ff:ff:ff:ff:ff' }, { 'outer_headers.dmac_47_16': 'FF:FF:FF:FF:FF:FF' },
      { 'outer_headers.dmac_47_16': 'ff:ff:ff:ff:ff:00' },
    ];
    for (const a of ps) for (const b of ps) {
      expect(fte_match_param_key(a) === fte_match_param_key(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(fte_match_param_equal(a, b));
    }
  });

  it('fte_match_value_outside_criteria', () => {
    const crit: FteMatchParam = { 'outer_headers.ethertype': 0xff00, 'outer_headers.dmac_47_16': 'ff:ff:ff:ff:ff:ff' };
    expect(fte_match_value_outside_criteria({ 'outer_headers.ethertype': 0x0800, 'outer_headers.dmac_47_16': '02:00:00:00:00:01' }, crit)).toEqual([]);
    expect(fte_match_value_outside_criteria({ 'outer_headers.ethertype': 0x0801, 'outer_headers.ip_protocol': 6 }, crit))
      .toEqual(['outer_headers.ethertype', 'outer_headers.ip_protocol']);
  });
});
