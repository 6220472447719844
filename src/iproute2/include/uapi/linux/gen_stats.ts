// include/uapi/linux/gen_stats.h as vendored by iproute2 v6.1.0.
export const TCA_STATS_BASIC = 1;
export const TCA_STATS_RATE_EST = 2;
export const TCA_STATS_QUEUE = 3;
export const TCA_STATS_APP = 4;
export const TCA_STATS_RATE_EST64 = 5;
export const TCA_STATS_PAD = 6;
export const TCA_STATS_BASIC_HW = 7;
export const TCA_STATS_PKT64 = 8;
// struct gnet_stats_basic: u64 bytes, u32 packets (16 B with padding)
// struct gnet_stats_queue: u32 qlen, backlog, drops, requeues, overlimits (20 B)
