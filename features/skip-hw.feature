Feature: tc-policy skip_hw keeps flows out of the NIC
  With other_config:tc-policy=skip_hw, OVS asks tc for a software-only flower
  filter (TCA_FLOWER_FLAGS = skip_hw). cls_flower never calls the driver for
  such a filter, so the flow steering tables of the NIC stay untouched.

  Background:
    Given hw-offload is enabled

  Scenario: A skip_hw flow creates no flow table entry
    Given tc-policy skip_hw
    When a flow is put
    Then no FTE is created
    And the flow is in tc software
    And the tc filter is "skip_hw not_in_hw"
    And the trace stops in fl_change
    And the trace does not pass through fl_hw_replace_filter
    And the trace does not reach the mlx5_en layer
