// net/sched/sch_generic.c: the device-lifetime side of the scheduler. Only
// dev_shutdown is modelled: an unregistering device loses its qdiscs, and
// with them its blocks (so drivers see their block callbacks unbound).
import type { NetDevice } from '../../include/linux/netdevice';
import type { DevSched } from './sch_api';
import { hop } from '../../../trace/hop';

/** dev_shutdown (net/sched/sch_generic.c, v6.18): the ingress-queue qdisc is destroyed; the root is the builtin noqueue. */
export const dev_shutdown = hop('net/sched/sch_generic.c', function dev_shutdown(dev: NetDevice): void {
  const s = dev.qdisc_state as DevSched | undefined;
  if (s?.ingress) {
    const q = s.ingress;
    s.ingress = null;
    q.ops.destroy(q);
  }
}, { input: (dev) => dev.name });
