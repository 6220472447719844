// include/uapi/linux/pkt_sched.h and rtnetlink.h tc parts (v6.18)
export const TC_H_MAJ_MASK = 0xffff0000;
export const TC_H_MIN_MASK = 0x0000ffff;
export function TC_H_MAJ(h: number): number { return (h & TC_H_MAJ_MASK) >>> 0; }
export function TC_H_MIN(h: number): number { return h & TC_H_MIN_MASK; }
export function TC_H_MAKE(maj: number, min: number): number {
  return ((maj & TC_H_MAJ_MASK) | (min & TC_H_MIN_MASK)) >>> 0;
}
export const TC_H_UNSPEC = 0;
export const TC_H_ROOT = 0xffffffff;
export const TC_H_INGRESS = 0xfffffff1;
export const TC_H_CLSACT = TC_H_INGRESS;
export const TC_H_MIN_PRIORITY = 0xffe0;
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;
export const TCM_IFINDEX_MAGIC_BLOCK = 0xffffffff;

// enum TCA_* (rtnetlink.h)
export const TCA_UNSPEC = 0;
export const TCA_KIND = 1;
export const TCA_OPTIONS = 2;
export const TCA_STATS = 3;
export const TCA_XSTATS = 4;
export const TCA_RATE = 5;
export const TCA_FCNT = 6;
export const TCA_STATS2 = 7;
export const TCA_STAB = 8;
export const TCA_PAD = 9;
export const TCA_DUMP_INVISIBLE = 10;
export const TCA_CHAIN = 11;
export const TCA_HW_OFFLOAD = 12;
export const TCA_INGRESS_BLOCK = 13;
export const TCA_EGRESS_BLOCK = 14;
export const TCA_DUMP_FLAGS = 15;
export const TCA_EXT_WARN_MSG = 16;
export const TCA_MAX = 16;

export const TCA_DUMP_FLAGS_TERSE = 1 << 0;

// Appended (include/net/sch_generic.h, pkt_sched.h v6.18)
export const TCQ_F_INGRESS = 2;
export const TCQ_F_CAN_BYPASS = 4;
export const IFNAMSIZ = 16;
