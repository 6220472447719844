// mlx5 connection-tracking offload state: the CT zones with pre_ct tables and the CT tables.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { mlx5_query_ct } from '../src/drivers/mlx5/query';

// The CT zones the device's driver holds pre_ct tables for, comma separated ("none" for no zone).
Then('the mlx5 CT zones are {string}', function (this: OffloadWorld, zones: string) {
  const ct = mlx5_query_ct(this.host.nic().core);
  expect(ct.zones.length ? ct.zones.join(', ') : 'none', `CT zones (pre_ct tables ${ct.zone_tables.join(', ') || 'none'})`).to.equal(zones);
});

// How many of the device-lifetime CT tables (ct, ct_nat, post-action) the driver holds.
Then('the mlx5 driver holds {int} CT table(s)', function (this: OffloadWorld, n: number) {
  const ct = mlx5_query_ct(this.host.nic().core);
  expect(ct.global_tables, `ct/ct_nat/post-action tables ${ct.global_tables.join(', ') || 'none'}`).to.have.length(n);
});

// No zone, label or action-miss id is mapped any more.
Then('no mlx5 CT id is mapped', function (this: OffloadWorld) {
  expect(mlx5_query_ct(this.host.nic().core).mapped_ids).to.equal(0);
});
