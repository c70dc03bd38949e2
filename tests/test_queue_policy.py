"""The calling policy never starves anyone (hypothesis drives it with arrivals, calls and time passing)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from server.queue.policy import Candidate, Policy

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
steps = st.lists(st.one_of(
    st.tuples(st.just("arrive"), st.booleans(), st.integers(0, 10)),  # priority?, minutes passing
    st.tuples(st.just("call"), st.just(False), st.integers(0, 10)),
), max_size=120)


def _run(policy: Policy, events):
    lines = {True: [], False: []}  # priority → [(queue_at, id)]
    now, streak, calls = T0, 0, 0
    arrived: dict[int, tuple[int, int, bool]] = {}  # id → (calls so far, people waiting, priority)
    called: dict[int, int] = {}

    def call():
        nonlocal streak, calls
        heads = {k: (Candidate(v[0][1], v[0][0]) if v else None) for k, v in lines.items()}
        pick, streak = policy.pick(heads[True], heads[False], streak, now)
        if pick is None:
            return
        calls += 1
        kind = pick.item in {i for _, i in lines[True]}
        lines[kind].pop(0)
        called[pick.item] = calls

    for n, (kind, prio, minutes) in enumerate(events):
        now += timedelta(minutes=minutes)
        if kind == "arrive":
            arrived[n] = (calls, len(lines[True]) + len(lines[False]), prio)
            lines[prio].append((now, n))
        else:
            call()
    while lines[True] or lines[False]:  # the counters go on calling after the last arrival
        now += timedelta(minutes=1)
        call()
    return arrived, called


@settings(max_examples=300, deadline=None)
@given(events=steps, k=st.integers(1, 4), t=st.integers(1, 40))
def test_every_ticket_is_called_within_a_bound_of_calls_after_it_came(events, k, t):
    policy = Policy(k, timedelta(minutes=t))
    arrived, called = _run(policy, events)
    assert set(called) == set(arrived)  # nobody left waiting
    for tid, (calls_before, waiting, _prio) in arrived.items():
        others = called[tid] - calls_before - 1  # calls of other tickets while this one waited
        assert others <= (waiting + 1) * (k + 1), (tid, others, waiting)


@settings(max_examples=200, deadline=None)
@given(n_prio=st.integers(0, 30), n_reg=st.integers(0, 30), k=st.integers(1, 4))
def test_priority_first_but_at_most_k_in_a_row_while_regulars_wait(n_prio, n_reg, k):
    policy = Policy(k, timedelta(hours=10))
    events = [("arrive", True, 0)] * n_prio + [("arrive", False, 0)] * n_reg + [("call", False, 0)] * (n_prio + n_reg)
    arrived, called = _run(policy, events)
    order = [arrived[i][2] for i in sorted(called, key=called.get)]
    run = 0
    for i, prio in enumerate(order):
        run = run + 1 if prio else 0
        regulars_left = order[i + 1:].count(False) > 0 or (not prio)
        assert run <= k or not regulars_left


def test_a_regular_ticket_waiting_too_long_goes_first():
    policy = Policy(2, timedelta(minutes=15))
    old = Candidate("A001", T0)
    prio = Candidate("A002", T0 + timedelta(minutes=1))
    assert policy.pick(prio, old, 0, T0 + timedelta(minutes=5))[0] is prio
    assert policy.pick(prio, old, 0, T0 + timedelta(minutes=16))[0] is old
    # a priority ticket that was in line before the overdue one still goes first
    assert policy.pick(Candidate("A000", T0 - timedelta(minutes=1)), old, 0, T0 + timedelta(minutes=16))[0].item == "A000"
