// Handlers that exist upstream (so the action is NOT "Not implemented
// offload action") but whose parsing is not emulated yet. Reaching one is an
// emulator gap, reported loudly rather than answered plausibly.
import type { Mlx5eTcAct } from './act';

export function unmodelled(name: string): Mlx5eTcAct {
  return {
    parse_action: () => {
      throw new Error(`${name}: this mlx5 action handler is not emulated yet`);
    },
    is_terminating_action: false,
  };
}
