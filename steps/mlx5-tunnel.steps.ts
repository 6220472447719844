// mlx5 tunnel mapping state: the ids tunnel rules on chains carry in reg_c_1.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { mlx5_query_tunnel_mapping } from '../src/drivers/mlx5/query';

// How many tunnel matches (and, separately, tunnel option matches) the uplink maps to ids.
Then('the mlx5 driver maps {int} tunnel id(s) and {int} tunnel option id(s)', function (this: OffloadWorld, tunnels: number, opts: number) {
  const m = mlx5_query_tunnel_mapping(this.host.nic().core);
  const held = m.held.map((h) => `${h.netdev}/${h.cookie}: ${h.tun_id}/${h.enc_opts_id}`).join(', ') || 'none';
  expect(m.tunnel_ids, `tunnel ids (held: ${held})`).to.have.length(tunnels);
  expect(m.enc_opts_ids, `tunnel option ids (held: ${held})`).to.have.length(opts);
});
