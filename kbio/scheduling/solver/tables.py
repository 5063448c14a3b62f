"""Tables for the placed meetings: pinned tables kept, hosts at their own tables, everyone else
at a shared table, preferably the one they sat at in the slot before.
"""

from __future__ import annotations

from .compiled import Compiled
from .state import State


def assign_tables(ev: Compiled, st: State) -> list[int]:
    """A table per placed meeting: pinned tables kept, hosts at their own tables, others at a
    shared table, preferably the one a participant already sat at in the previous slot."""
    table = [-1] * len(ev.meeting_ids)
    last: dict[int, int] = {}
    by_slot: list[list[int]] = [[] for _ in range(ev.T)]
    for j, t in enumerate(st.slot):
        if t >= 0:
            by_slot[t].append(j)
    for t in range(ev.T):
        used: set[int] = set()
        js = by_slot[t]
        for j in js:
            if j in ev.pinned_table:
                table[j] = ev.pinned_table[j]
                used.add(table[j])
        hosted = [j for j in js if table[j] < 0 and not ev.pool[j]]
        _match_host_tables(ev, hosted, used, table)
        free_pool = [k for k in ev.pool_tables if k not in used]
        free_set = set(free_pool)
        rest = [j for j in js if table[j] < 0]
        for j in rest:
            for p in (ev.ma[j], ev.mb[j]):
                k = last.get(p, -1)
                if k in free_set:
                    table[j] = k
                    free_set.discard(k)
                    break
        free_pool = [k for k in free_pool if k in free_set]
        free_pool.reverse()
        for j in rest:
            if table[j] < 0:
                table[j] = free_pool.pop()
        for j in js:
            if ev.pool[j]:
                last[ev.ma[j]] = last[ev.mb[j]] = table[j]
    return table


def _match_host_tables(ev: Compiled, hosted: list[int], used: set[int], table: list[int]) -> None:
    """Seat host meetings at their hosts' tables (a bipartite matching; a meeting between two
    hosts may use either's table)."""
    owner_of: dict[int, int] = {}

    def options(j: int) -> list[int]:
        return [k for p in (ev.ma[j], ev.mb[j]) for k in ev.host_tables[p] if k not in used]

    def augment(j: int, seen: set[int]) -> bool:
        for k in options(j):
            if k in seen:
                continue
            seen.add(k)
            if k not in owner_of or augment(owner_of[k], seen):
                owner_of[k] = j
                return True
        return False

    for j in hosted:
        if not augment(j, set()):
            raise AssertionError("host tables over-committed")  # capacities rule this out
    for k, j in owner_of.items():
        table[j] = k
