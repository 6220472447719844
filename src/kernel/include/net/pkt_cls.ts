// include/net/pkt_cls.h: static inline helpers drivers call on a flower
// offload request. Messages come from NL_SET_ERR_MSG (no module prefix).
import type { NetDevice } from '../linux/netdevice';
import { tc_can_offload } from '../linux/netdevice';
import { NL_SET_ERR_MSG, type NetlinkExtAck } from '../linux/netlink';
import type { FlowClsCommonOffload } from './flow_offload';

/** tc_can_offload_extack(): false with "TC offload is disabled on net device". */
export function tc_can_offload_extack(dev: NetDevice, extack: NetlinkExtAck | null): boolean {
  const can = tc_can_offload(dev);
  if (!can) NL_SET_ERR_MSG(extack, 'TC offload is disabled on net device');
  return can;
}

/** tc_cls_can_offload_and_chain0(): also refuses chains other than 0. */
export function tc_cls_can_offload_and_chain0(dev: NetDevice, common: FlowClsCommonOffload): boolean {
  if (!tc_can_offload_extack(dev, common.extack)) return false;
  if (common.chain_index) {
    NL_SET_ERR_MSG(common.extack, 'Driver supports only offload of chain 0');
    return false;
  }
  return true;
}
