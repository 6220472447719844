Feature: Firmware command failures on the mlx5 offload path
  Every flow-steering object is a firmware command (fs_cmd.c). A failed
  command is logged by mlx5_cmd_out_err with its status and syndrome and
  becomes an errno (cmd.c cmd_status_to_err) — never an extack. On add, the
  driver unwinds what it had created; on delete, failures are only logged
  (fs_core.c del_hw_*): tc never learns of them, and the firmware keeps the
  object.

  Background:
    Given tc-policy skip_sw
    When I run "tc qdisc add dev enp8s0f0_0 ingress"

  Scenario Outline: <opcode> fails while adding a rule: <errno>, logged, nothing left behind
    Given the firmware fails the next <opcode> with status <status> and syndrome 0x55aa
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it fails with "<message>"
    And no FTE is created
    And dmesg contains "<opcode>(<op>) op_mod(0x0) failed, status <text>(<status>), syndrome (0x55aa), err(<err>)"
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it succeeds
    And 1 FTE is created

    Examples:
      | opcode                | op    | status | text              | err | errno   | message                   |
      | CREATE_FLOW_TABLE     | 0x930 | 0x8    | limits exceeded   | -12 | -ENOMEM | Cannot allocate memory    |
      | CREATE_FLOW_GROUP     | 0x933 | 0x4    | bad system state  | -5  | -EIO    | Input/output error        |
      | ALLOC_FLOW_COUNTER    | 0x939 | 0x8    | limits exceeded   | -12 | -ENOMEM | Cannot allocate memory    |
      | SET_FLOW_TABLE_ENTRY  | 0x936 | 0x3    | bad parameter     | -22 | -EINVAL | Invalid argument          |

  Scenario: A (chain, prio) table the firmware cannot create: the chains log names it
    Given the firmware fails the next CREATE_FLOW_TABLE with status 0x8 and syndrome 0x1
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it fails with "Cannot allocate memory"
    And dmesg contains "Failed to create chains table err -12 (chain: 0, prio: 7, level: 0"
    And the trace passes through mlx5_chains_create_table

  Scenario: "no resources" is -EAGAIN: tc_new_tfilter replays the request, and the second try is offloaded
    Given the firmware fails the next ALLOC_FLOW_COUNTER with status 0xf and syndrome 0x42
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it succeeds
    And 1 FTE is created
    And dmesg contains "ALLOC_FLOW_COUNTER(0x939) op_mod(0x0) failed, status no resources(0xf), syndrome (0x42), err(-11)"
    And mlx5_fc_create returned -EAGAIN

  @firmware-leaks
  Scenario: DELETE_FLOW_TABLE_ENTRY fails: tc deletes anyway, the driver only logs, the firmware keeps the entry
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then 1 FTE is created
    Given the firmware fails the next DELETE_FLOW_TABLE_ENTRY with status 0x4 and syndrome 0x77
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1"
    Then it succeeds
    And no tc filter exists
    And 1 FTE is created
    And dmesg contains "DELETE_FLOW_TABLE_ENTRY(0x938) op_mod(0x0) failed, status bad system state(0x4), syndrome (0x77), err(-5)"
    And dmesg contains "del_hw_fte"
    And dmesg contains "flow steering can't delete fte in index 0 of flow group id"

  @firmware-leaks
  Scenario: DESTROY_FLOW_GROUP fails on delete: logged, the group stays in the firmware
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop"
    Given the firmware fails the next DESTROY_FLOW_GROUP with status 0x9 and syndrome 0x78
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1"
    Then it succeeds
    And no FTE is created
    And dmesg contains "DESTROY_FLOW_GROUP(0x934) op_mod(0x0) failed, status bad resource state(0x9), syndrome (0x78), err(-22)"
    And dmesg contains "flow steering can't destroy fg"

  @firmware-leaks
  Scenario: DESTROY_FLOW_TABLE fails when the last rule of a prio goes: logged only
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 4 flower skip_sw dst_ip 10.0.0.1 action drop"
    Given the firmware fails the next DESTROY_FLOW_TABLE with status 0x6 and syndrome 0x79
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 4"
    Then it succeeds
    And dmesg contains "DESTROY_FLOW_TABLE(0x931) op_mod(0x0) failed, status resource busy(0x6), syndrome (0x79), err(-16)"
    And dmesg contains "flow steering can't destroy ft"
