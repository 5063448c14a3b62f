"""Fair spread: an unplaced meeting takes a placed one's slot when that serves the worse served
participant of the two without lowering the count or the priorities placed.
"""

from __future__ import annotations

import time

from .compiled import Compiled
from .state import State


def fair_spread(st: State, ev: Compiled, deadline: float) -> int:
    """Swap an unplaced meeting in for a placed one of a participant they share.

    The swap is made when it raises the priority placed, or, at equal priority, when the
    participant who gains was the worse served of the two (as a share of its requests) and the
    one who loses stays better served than that. This never lowers the number placed nor the
    priorities placed, and raises the worst share of the pair.
    """
    counts = [0] * len(ev.part_ids)
    for j, t in enumerate(st.slot):
        if t >= 0:
            counts[ev.ma[j]] += 1
            counts[ev.mb[j]] += 1
    requested = [len(js) for js in ev.meetings_of]
    swaps = 0
    changed = True
    while changed and time.perf_counter() < deadline:
        changed = False
        unplaced = [j for j, t in enumerate(st.slot) if t < 0 and ev.allowed[j]]
        unplaced.sort(key=lambda j: -ev.prio[j])
        for j in unplaced:
            if st.slot[j] >= 0:
                continue
            a, b = ev.ma[j], ev.mb[j]
            best = None
            for x, y in ((a, b), (b, a)):
                # Give x's slot t (now used by meeting k with partner z) to y.
                for t, ks in st.at[x].items():
                    if not (ev.allowed[j] >> t) & 1:
                        continue
                    if not (st.free[y] >> t) & 1:
                        continue
                    for k in ks:
                        if k in ev.pinned_slot or ev.prio[k] > ev.prio[j]:
                            continue
                        z = ev.mb[k] if ev.ma[k] == x else ev.ma[k]
                        if ev.prio[k] < ev.prio[j]:
                            gain = (1, ev.prio[j] - ev.prio[k])
                        else:
                            # Only when the poorer of the two ends better off than before.
                            before_y = counts[y] / requested[y]
                            after_z = (counts[z] - 1) / requested[z]
                            if after_z <= before_y:
                                continue
                            gain = (0, after_z - before_y)
                        if best is None or gain > best[0]:
                            best = (gain, k, t, y, z)
            if best is None:
                continue
            _gain, k, t, y, z = best
            st.remove(k)
            if not (st.open_slots(j) >> t) & 1:
                st.place(k, t)
                continue
            st.place(j, t)
            counts[y] += 1
            counts[z] -= 1
            swaps += 1
            changed = True
    return swaps
