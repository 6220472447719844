@scale
Feature: A million software tc flower filters, one command each
  What `tc -batch` of a million `filter add` lines asks of the kernel: one
  RTM_NEWTFILTER per line into the same flower instance (chain 0, prio 1).
  skip_hw keeps them in software, so this measures the tc and cls_flower
  layers alone: handles, the mask's hash table and the per-filter actions.
  Deleting the priority destroys the whole flower instance in one request.

  Scenario: 1,000,000 skip_hw filters are added, then removed by deleting their priority
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle $i flower skip_hw dst_ip $ip action drop" for $i from 1 to 1000000 at scale
    Then 1000000 of them succeeded
    And no FTE is created
    When I run "tc filter get dev enp8s0f0_0 ingress protocol ip prio 1 handle 1000000 flower"
    Then it succeeds
    And the output contains "dst_ip 10.15.66.64"
    And the output contains "skip_hw"
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 flower"
    Then it succeeds
    And nothing is left in tc or the firmware
