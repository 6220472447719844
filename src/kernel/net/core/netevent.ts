// net/core/netevent.c: the netevent notifier chain (neighbour updates and
// redirects) drivers listen on. One chain per emulated host, not a static.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';

/** enum netevent_notif_type (include/net/netevent.h) */
export const NETEVENT_NEIGH_UPDATE = 1;
export const NETEVENT_REDIRECT = 2;
export const NETEVENT_DELAY_PROBE_TIME_UPDATE = 3;

export type NeteventNotifier = (event: number, ptr: unknown) => void;

function netevent_notif_chain(net: Net): NeteventNotifier[] {
  return net_generic(net, 'netevent_notif_chain', () => [] as NeteventNotifier[]);
}

/** register_netevent_notifier() */
export function register_netevent_notifier(net: Net, nb: NeteventNotifier): 0 {
  netevent_notif_chain(net).push(nb);
  return 0;
}

/** unregister_netevent_notifier() */
export function unregister_netevent_notifier(net: Net, nb: NeteventNotifier): 0 {
  const chain = netevent_notif_chain(net);
  const i = chain.indexOf(nb);
  if (i >= 0) chain.splice(i, 1);
  return 0;
}

/** call_netevent_notifiers(): every listener, in registration order. */
export function call_netevent_notifiers(net: Net, event: number, ptr: unknown): void {
  for (const nb of [...netevent_notif_chain(net)]) nb(event, ptr);
}
