import { describe, it, expect } from 'vitest';
import { NlMsgBuilder, nla_walk, nla_get_be16, nla_get_u8, nla_get_u32, nla_get_string, NLA_F_NESTED, nlmsg_concat, StructReader, StructWriter } from './attr';
import { NlAttrBuf } from './msgbuf';
import { nlmsg_split, nlmsghdr_decode, fromHex, toHex } from './nlmsg';
import { tcmsg_encode, tcmsg_decode, nlmsgerr_encode, nlmsgerr_decode, NLM_F_ACK_TLVS, NLM_F_CAPPED } from './structs';

// Round-trips a builder-made message through the walker at a non-zero offset,
// so no accessor silently assumes offset 0.
function roundTrip(build: (b: NlMsgBuilder) => void): Uint8Array {
  const b = new NlMsgBuilder({ nlmsg_type: 44, nlmsg_flags: 0x605, nlmsg_seq: 7, nlmsg_pid: 0 });
  build(b);
  const msg = b.finish();
  const padded = new Uint8Array(msg.byteLength + 10);
  padded.set(msg, 10);
  return padded.subarray(10);
}

describe('netlink codec', () => {
  it('reproduces the corpus request of kernel.md §8.1 byte for byte (seq aside)', () => {
    const want =
      '940000002c0005060000000000000000000000000300000000000000f2ffffff08000100' +
      '0b000100666c6f7765720000640002000800' + '0c000a000001' + '08000d00ffffffff05000900060000000600130000500000' +
      '300003002c0001000900010067616374000000001c000280180002000000000000000000020000000000000000000000' +
      '08001600020000000600080008000000';
    const b = new NlMsgBuilder({ nlmsg_type: 44, nlmsg_flags: 0x605, nlmsg_seq: 0, nlmsg_pid: 0 });
    b.put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: 3, tcm_handle: 0, tcm_parent: 0xfffffff2, tcm_info: 0x00010008 }));
    b.string(1, 'flower');
    const opts = b.nestStart(2);
    b.be32(12, 0x0a000001).be32(13, 0xffffffff).u8(9, 6).be16(19, 80);
    const act = b.nestStart(3);
    const a1 = b.nestStart(1);
    b.string(1, 'gact');
    const ao = b.nestStart(2 | NLA_F_NESTED);
    b.attr(2, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    b.nestEnd(ao).nestEnd(a1).nestEnd(act);
    b.u32(22, 2).be16(8, 0x0800);
    b.nestEnd(opts);
    expect(toHex(b.finish())).toBe(want);
  });

  it('walks nested attributes and keeps byte order per accessor', () => {
    const msg = roundTrip((b) => {
      b.put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: 5, tcm_handle: 1, tcm_parent: 0xfffffff2, tcm_info: 0x00020008 }));
      b.string(1, 'flower');
      const o = b.nestStart(2);
      b.be16(8, 0x0800).u32(22, 0);
      b.nestEnd(o);
    });
    const [m] = nlmsg_split(msg).msgs;
    expect(m!.hdr).toMatchObject({ nlmsg_type: 44, nlmsg_flags: 0x605, nlmsg_seq: 7, nlmsg_len: msg.byteLength });
    const t = tcmsg_decode(m!.payload);
    expect(t.ok && t.value).toMatchObject({ tcm_ifindex: 5, tcm_handle: 1, tcm_info: 0x00020008 });
    const top = nla_walk(m!.payload.subarray(20));
    expect(top.ok).toBe(true);
    expect(nla_get_string(top.attrs[0]!)).toBe('flower');
    const inner = nla_walk(top.attrs[1]!.payload);
    expect(nla_get_be16(inner.attrs[0]!)).toBe(0x0800);
    expect(nla_get_u32(inner.attrs[1]!)).toBe(0); // zero is a value, not an absence
  });

  it('reports an attribute whose length runs past the buffer', () => {
    const bad = fromHex('0800010001000000' + '2000020001');
    const w = nla_walk(bad);
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.offset).toBe(8);
  });

  it('stops splitting at a header that claims more bytes than remain', () => {
    const one = new NlMsgBuilder({ nlmsg_type: 16, nlmsg_flags: 1, nlmsg_seq: 1, nlmsg_pid: 0 }).finish();
    const buf = nlmsg_concat([one, one]);
    new DataView(buf.buffer).setUint32(16, 999, true);
    const r = nlmsg_split(buf);
    expect(r.msgs).toHaveLength(1);
    expect(r.trailing).toBe(16);
  });

  it('round-trips an error ack with its extack message', () => {
    const req = nlmsghdr_decode(new NlMsgBuilder({ nlmsg_type: 44, nlmsg_flags: 0x605, nlmsg_seq: 9, nlmsg_pid: 0 }).finish());
    const body = nlmsgerr_encode({ error: -95, msg: req, request_payload: new Uint8Array(0), ext_msg: 'TC offload is disabled on net device' }, false);
    const d = nlmsgerr_decode(body, NLM_F_ACK_TLVS);
    expect(d.ok && d.value).toMatchObject({ error: -95, ext_msg: 'TC offload is disabled on net device', msg: { nlmsg_seq: 9 } });
    const ok = nlmsgerr_decode(nlmsgerr_encode({ error: 0, msg: req }, true), NLM_F_CAPPED);
    expect(ok.ok && ok.value.error).toBe(0);
  });

  it('says what is short instead of throwing', () => {
    expect(tcmsg_decode(new Uint8Array(3))).toEqual({ ok: false, error: 'tcmsg needs 20 bytes, got 3' });
    expect(nlmsgerr_decode(new Uint8Array(4), 0).ok).toBe(false);
  });
});

// The accessors read bytes directly (no DataView); these pin them to what a
// DataView with the same byte order gives, at odd offsets and extremes.
describe('fixed-width accessors', () => {
  const values = [0, 1, 0x7f, 0x80, 0xff, 0x1234, 0x8000, 0xffff, 0x12345678, 0x80000000, 0xffffffff];
  it.each(values)('u16/be16/u32/s32/be32 of 0x%s agree with DataView', (x) => {
    const w = new StructWriter(11).u16(1, x).be16(3, x).u32(5, x);
    const dv = new DataView(w.bytes.buffer);
    expect(dv.getUint16(1, true)).toBe(x & 0xffff);
    expect(dv.getUint16(3, false)).toBe(x & 0xffff);
    expect(dv.getUint32(5, true)).toBe(x >>> 0);
    const r = new StructReader(w.bytes);
    expect([r.u16(1), r.be16(3), r.u32(5), r.s32(5)]).toEqual([x & 0xffff, x & 0xffff, x >>> 0, x | 0]);
    const b = new StructWriter(4).be32(0, x);
    expect(new DataView(b.bytes.buffer).getUint32(0, false)).toBe(x >>> 0);
    expect(new StructReader(b.bytes).be32(0)).toBe(x >>> 0);
  });

  it('round-trips u64 and wraps negatives as setBigUint64 does', () => {
    for (const x of [0n, 1n, 0xffffffffn, 0x100000000n, 0xfedcba9876543210n]) {
      expect(new StructReader(new StructWriter(9).u64(1, x).bytes).u64(1)).toBe(x);
    }
    expect(new StructReader(new StructWriter(8).u64(0, -1n).bytes).u64(0)).toBe(0xffffffffffffffffn);
  });

  it('throws a RangeError past the end, like a DataView', () => {
    expect(() => new StructReader(new Uint8Array(3)).u32(0)).toThrow(RangeError);
    expect(() => new StructWriter(2).u32(0, 1)).toThrow(RangeError);
    const short = nla_walk(fromHex('0500010001000000')).attrs[0]!;
    expect(() => nla_get_u32(short)).toThrow(RangeError);
    expect(nla_get_u8(short)).toBe(1);
  });

  it('builds attributes byte for byte like the generic path, after a truncate too', () => {
    const s = new NlAttrBuf();
    s.u8(1, 0xab).u16(2, 0x1234).be16(3, 0x1234).u32(4, 0xdeadbeef).be32(5, 0xdeadbeef).s32(6, -2).string(7, 'eth0').flag(8);
    expect(toHex(s.bytes())).toBe(
      '05000100ab000000' + '0600020034120000' + '0600030012340000' + '08000400efbeadde' + '08000500deadbeef' +
      '08000600feffffff' + '0900070065746830' + '00000000' + '04000800');
    s.truncate(8);
    s.u8(9, 1);
    // The bytes reused after the truncate are zeroed again (padding stays zero).
    expect(toHex(s.bytes())).toBe('05000100ab000000' + '0500090001000000');
  });
});
