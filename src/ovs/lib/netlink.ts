// lib/netlink.c (v3.6.3): decoding a kernel acknowledgement.
import { NLMSG_ERROR } from '../../kernel/include/uapi/linux/netlink';
import { EPROTO } from '../../kernel/include/uapi/asm-generic/errno';
import { nlmsgerr_decode } from '../../netlink/structs';
import type { NlMsg } from '../../netlink/nlmsg';
import { hop } from '../../trace/hop';

export interface NlMsgErrResult {
  /** True when the message is an NLMSG_ERROR (an ACK or a NAK). */
  is_error: boolean;
  /** 0 for an ACK, a positive errno for a NAK (EPROTO if malformed). */
  error: number;
  /** The extack text (NLMSGERR_ATTR_MSG) of a NAK, if any. */
  attr_msg?: string;
}

/**
 * nl_msg_nlmsgerr: is `msg` an NLMSG_ERROR, and with which errno? The
 * extack text is read only for a NAK carrying NLM_F_ACK_TLVS.
 */
export const nl_msg_nlmsgerr = hop('lib/netlink.c', function nl_msg_nlmsgerr(msg: NlMsg): NlMsgErrResult {
  if (msg.hdr.nlmsg_type !== NLMSG_ERROR) return { is_error: false, error: 0 };
  const d = nlmsgerr_decode(msg.payload, msg.hdr.nlmsg_flags);
  // lib/netlink.c nl_msg_nlmsgerr: a short or positive error code is EPROTO.
  if (!d.ok || d.value.error > 0) return { is_error: true, error: EPROTO };
  const code = -d.value.error;
  return code !== 0 && d.value.ext_msg !== undefined
    ? { is_error: true, error: code, attr_msg: d.value.ext_msg }
    : { is_error: true, error: code };
}, {
  result: (r) => (r.is_error ? (r.error === 0 ? 'ACK' : `NAK ${r.error}${r.attr_msg ? ` "${r.attr_msg}"` : ''}`) : 'not an error'),
});
