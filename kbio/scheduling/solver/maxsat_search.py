"""Break reduction by MaxSAT (small and medium events): RC2 proves the fewest breaks when it
can; otherwise a neighbourhood search re-solves windows of the schedule exactly. RC2 runs in
a forked process that the search can stop (SIGINT) when its time is up.
"""

from __future__ import annotations

import os
import pickle
import random
import select
import signal
import time

from .compiled import Compiled
from .local_search import pcost
from .maxsat_model import encode_breaks
from .state import State


def maxsat_breaks(
    ev: Compiled,
    st: State,
    fair: int,
    seconds: float,
    deadline: float,
    rng: random.Random,
    workers: int = 1,
) -> tuple[bool, int | None]:
    """Fewest breaks for the placed meetings: MaxSAT on the whole event, then on parts of it.

    Two searches share the budget (``seconds`` of solver time, and the ``deadline``): the
    core-guided MaxSAT solver RC2 on the whole event (when it finishes, the schedule has the
    fewest breaks possible), and a large neighbourhood search in which MaxSAT re-solves a
    window of slots, or the meetings of a participant, its partners and some of theirs, with
    everything else kept in place, keeping any schedule that is no worse. With one worker,
    the whole-event solver gets seven tenths of the budget and the neighbourhood search the
    rest. With two workers, the whole-event solver runs with the full budget beside the
    neighbourhood search; when it finishes first its schedule is taken.

    The encoding follows Bofill et al. (JAIR 2022): a Boolean per (meeting, allowed slot), a
    busy Boolean per (participant, slot), a break literal per (participant, slot) forced true
    when the participant resumes after an idle gap, one soft clause per break literal, and the
    implied constraints that made their MaxSAT approach prove every instance (each participant
    busy in exactly as many slots as it has meetings; at most two busy participants per table
    and slot). The fairness cap is a hard limit when the current schedule already meets it.

    Returns (proven optimal, lower bound on the breaks under the fairness cap or None).
    """
    if not any(t >= 0 for t in st.slot):
        return True, 0
    if workers >= 2:
        return _maxsat_breaks_parallel(ev, st, fair, seconds, deadline, rng)
    # The whole-event solver also stops at seven tenths of the time left, so that the
    # neighbourhood search keeps its share when the time limit is what binds.
    whole = min(_WHOLE_SHARE * seconds, _WHOLE_SHARE * max(0.0, deadline - time.perf_counter()))
    status, lower, used = _maxsat_step(ev, st, fair, whole, None)
    if status == "optimal":
        return True, lower
    _maxsat_lns(ev, st, fair, seconds - used, deadline, rng, lower, lambda: False)
    return False, lower


# With one worker, the whole-event solver's share of the budget (the rest is the neighbourhood
# search's). Its run time on the hardest literature instances is 13-17 s on a quiet core.
_WHOLE_SHARE = 0.7


def _maxsat_breaks_parallel(
    ev: Compiled, st: State, fair: int, seconds: float, deadline: float, rng: random.Random
) -> tuple[bool, int | None]:
    """The whole-event MaxSAT in its own process while this one runs the neighbourhood
    search; a finished whole-event answer (the fewest breaks) replaces the search's."""
    fair_hard = all(ev.breaks(m) <= fair for m in st.busy)
    wcnf, x, _placed = encode_breaks(ev, st, fair, fair_hard, None)
    whole = _MaxSAT(wcnf, x)
    try:
        _maxsat_lns(ev, st, fair, seconds, deadline, rng, None, whole.poll)
        whole.poll(max(0.0, min(seconds - whole.elapsed, deadline - time.perf_counter())))
    finally:
        status, slots, cost = whole.stop()
    if status != "optimal" or not fair_hard:
        return False, None
    for j, t in enumerate(st.slot):
        if t >= 0 and j not in ev.pinned_slot:
            st.remove(j)
    for j, t in slots.items():
        if j not in ev.pinned_slot:
            st.place(j, t)
    return True, cost


def _maxsat_lns(
    ev: Compiled,
    st: State,
    fair: int,
    seconds: float,
    deadline: float,
    rng: random.Random,
    lower: int | None,
    stop,
) -> None:
    """Large neighbourhood search: re-solve parts of the schedule with MaxSAT."""
    left = seconds
    M = len(ev.meeting_ids)
    P = len(ev.part_ids)
    movable = [j for j in range(M) if st.slot[j] >= 0 and j not in ev.pinned_slot]
    # A window of consecutive slots around a break: every meeting in it may move anywhere.
    # Its width grows after a quick success and shrinks after running out of budget.
    share = _LNS_SHARE_START
    step = 0
    while left > 0 and time.perf_counter() < deadline and not stop():
        breaks = [p for p in range(P) if ev.breaks(st.busy[p])]
        if not breaks or (lower is not None and sum(ev.breaks(m) for m in st.busy) <= lower):
            break
        p = rng.choice(breaks)
        step += 1
        if step % 2:
            # A window of consecutive slots around one of p's breaks.
            width = max(2, round(ev.T * share))
            busy = st.busy[p]
            gaps = [t for t in range(1, ev.T) if (busy >> t) & 1 and not (busy >> (t - 1)) & 1]
            centre = rng.choice(gaps) if gaps else rng.randrange(ev.T)
            first = min(max(0, centre - rng.randrange(width)), max(0, ev.T - width))
            free = {j for j in movable if first <= st.slot[j] < first + width}
        else:
            # p, its partners and some of theirs: all their meetings.
            chosen = {p}
            frontier = [p]
            target = max(4, round(P * share * 0.5))
            while frontier and len(chosen) < target:
                q = frontier.pop(rng.randrange(len(frontier)))
                for j in ev.meetings_of[q]:
                    r = ev.ma[j] if ev.mb[j] == q else ev.mb[j]
                    if r not in chosen and len(chosen) < target:
                        chosen.add(r)
                        frontier.append(r)
            free = {j for j in movable if ev.ma[j] in chosen or ev.mb[j] in chosen}
        if not free:
            continue
        budget = min(left, _LNS_STEP_SECONDS, max(0.0, deadline - time.perf_counter()))
        status, _bound, used = _maxsat_step(ev, st, fair, budget, free)
        left -= used
        if status == "out":
            share = max(_LNS_SHARE_MIN, share * 0.9)
        elif used < budget / 4:
            share = min(0.9, share * 1.1)


# Seconds of solver time allowed to one neighbourhood of the large neighbourhood search.
_LNS_STEP_SECONDS = 0.6
# The neighbourhood's size as a share of the slots (a window) or, halved, of the participants:
# where it starts, and how small it may get after neighbourhoods that ran out of time. Small
# neighbourhoods solve in a fraction of a second, so the search takes many more steps: on the
# literature instance ticf-13crafc, 65 steps in 20 s reached 7 breaks where 20 steps of the
# earlier sizes (0.4, at least 0.15, 2 s each) reached 14.
_LNS_SHARE_START = 0.15
_LNS_SHARE_MIN = 0.03


def _maxsat_step(
    ev: Compiled, st: State, fair: int, seconds: float, free: set[int] | None
) -> tuple[str, int | None, float]:
    """One RC2 run over the ``free`` meetings (all when None), stopped after ``seconds``; the
    state takes its answer when it is no worse. Returns (status, lower bound, seconds used)."""
    fair_hard = all(ev.breaks(m) <= fair for m in st.busy)
    wcnf, x, placed = encode_breaks(ev, st, fair, fair_hard, free)
    run = _MaxSAT(wcnf, x)
    try:
        run.poll(seconds)
    finally:
        used = run.elapsed
        status, new_slot, cost = run.stop()
    if status == "out":
        return "out", cost if fair_hard and free is None else None, used
    if status != "optimal":
        return status, None, used
    old_cost = sum(pcost(ev, m, fair) for m in st.busy)
    moved = [j for j in placed if j not in ev.pinned_slot and new_slot[j] != st.slot[j]]
    old_slot = {j: st.slot[j] for j in moved}
    for j in moved:
        st.remove(j)
    for j in moved:
        st.place(j, new_slot[j])
    if sum(pcost(ev, m, fair) for m in st.busy) > old_cost:
        # Without the fairness cap the fewest breaks can be less fair: keep the old one.
        for j in moved:
            st.remove(j)
        for j in moved:
            st.place(j, old_slot[j])
        return "worse", None, used
    if free is None and fair_hard:
        return "optimal", cost, used
    return "improved", None, used


class _MaxSAT:
    """RC2 (python-sat, over CaDiCaL) on one formula in a forked process, so that it can be
    stopped when its budget is spent.

    python-sat's CaDiCaL has no ``interrupt()``; what it documents instead is that a SAT call
    stops on SIGINT. Stopping sends SIGINT, and the process answers with RC2's cost so far,
    a proven lower bound; a process that does not answer in time is killed.

    The process is made with ``os.fork`` and a pipe rather than ``multiprocessing``, which
    refuses to start a child from a daemonic process: a background-job worker's pool
    processes are daemonic, and the scheduler runs there."""

    def __init__(self, wcnf, x: dict[tuple[int, int], int], solver: str = "cd15"):
        read, write = os.pipe()
        self.started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: solve, answer through the pipe, leave without cleanup
            code = 0
            try:
                os.close(read)
                with os.fdopen(write, "wb") as sender:
                    _run_rc2(wcnf, x, solver, _PipeSender(sender))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid = pid
        self._receiver = os.fdopen(read, "rb")
        self._answer: tuple | None = None
        self._exited = False

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def poll(self, timeout: float = 0.0) -> bool:
        """Whether the solver has answered (waiting up to ``timeout`` seconds)."""
        if self._answer is None:
            ready, _w, _x = select.select([self._receiver], [], [], max(0.0, timeout))
            if ready:
                try:
                    self._answer = pickle.load(self._receiver)
                except (EOFError, pickle.UnpicklingError):
                    self._answer = ("failed", None, None)
        return self._answer is not None

    def _alive(self) -> bool:
        if self._exited:
            return False
        pid, _status = os.waitpid(self._pid, os.WNOHANG)
        self._exited = pid != 0
        return not self._exited

    def stop(self) -> tuple[str, dict[int, int] | None, int | None]:
        """(status, {meeting: slot} when optimal, cost): status is "optimal", "infeasible",
        "out" (stopped; cost is then the lower bound reached, or None) or "failed"."""
        if not self.poll() and self._alive():
            os.kill(self._pid, signal.SIGINT)
            self.poll(_STOP_GRACE_SECONDS)
        if self._alive():
            os.kill(self._pid, signal.SIGKILL)
        if not self._exited:
            os.waitpid(self._pid, 0)
            self._exited = True
        self._receiver.close()
        return self._answer or ("out", None, None)


class _PipeSender:
    """The child's end of the pipe, with the ``send`` of a multiprocessing connection."""

    def __init__(self, stream):
        self._stream = stream

    def send(self, answer: tuple) -> None:
        pickle.dump(answer, self._stream)
        self._stream.flush()


# How long a stopped solver may take to report its lower bound.
_STOP_GRACE_SECONDS = 1.0


def _run_rc2(wcnf, x: dict[tuple[int, int], int], solver: str, sender) -> None:
    from pysat.examples.rc2 import RC2

    # Whatever the parent did with SIGINT (a web server's worker handles it), here it stops
    # the search.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    rc2 = None
    try:
        rc2 = RC2(wcnf, solver=solver, adapt=True, exhaust=True, minz=True, trim=5)
        model = rc2.compute()
    except BaseException:
        # SIGINT arrived (python-sat raises it from inside a SAT call, Python between calls).
        sender.send(("out", None, rc2.cost if rc2 is not None else None))
        return
    # Answered: a stop that comes now must not interrupt the process on its way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if model is None:
        sender.send(("infeasible", None, None))
        return
    true = {v for v in model if v > 0}
    sender.send(("optimal", {j: t for (j, t), v in x.items() if v in true}, rc2.cost))
