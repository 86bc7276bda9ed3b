"""Sign-in throttling on a fixed clock: delays grow per account and client, are capped,
and never keep a learner out of her own account from her own browser (issue 10, defect 6)."""

from __future__ import annotations

from precepteur.gate.throttle import ACCOUNT, CLIENT, FORGET_AFTER, PAIR, Rule, SignInThrottle

SCHOOL = "192.0.2.10"  # a whole school behind one address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rule_gaps_double_after_the_free_tries_and_stop_at_the_cap():
    rule = Rule(free=3, base=1.0, cap=10.0)
    assert [rule.gap(n) for n in range(9)] == [0, 0, 0, 1, 2, 4, 8, 10, 10]


def test_thirty_wrong_passwords_in_a_row_meet_growing_delays():
    clock = Clock()
    throttle = SignInThrottle(clock)
    waits = []
    for _ in range(30):
        wait = throttle.wait("alice", SCHOOL)
        waits.append(wait)
        clock.now += wait  # a patient guesser waits exactly as long as told
        throttle.failed("alice", SCHOOL)
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert waits[5:12] == [1, 2, 4, 8, 16, 32, 64]
    assert waits[12:15] == [128, 256, 300]
    assert max(waits) == PAIR.cap
    # 30 tries now take an hour and a half instead of 3 seconds.
    assert sum(waits) == 511 + 16 * 300


def test_a_right_password_after_waiting_clears_the_pair():
    clock = Clock()
    throttle = SignInThrottle(clock)
    for _ in range(PAIR.free):
        throttle.failed("alice", SCHOOL)
    assert throttle.wait("alice", SCHOOL) == 1
    clock.now += 1
    assert throttle.wait("alice", SCHOOL) == 0
    throttle.succeeded("alice", SCHOOL)
    assert throttle.wait("alice", SCHOOL) == 0
    throttle.failed("alice", SCHOOL)
    assert throttle.wait("alice", SCHOOL) == 0


def test_names_are_counted_without_regard_to_case_and_spaces():
    throttle = SignInThrottle(Clock())
    for name in ("Alice", " alice", "ALICE ", "alice", "aLiCe"):
        throttle.failed(name, SCHOOL)
    assert throttle.wait("alice", SCHOOL) == 1


def test_failures_are_forgotten_after_a_quiet_while():
    clock = Clock()
    throttle = SignInThrottle(clock)
    for _ in range(12):
        throttle.failed("alice", SCHOOL)
    clock.now += FORGET_AFTER
    assert throttle.wait("alice", SCHOOL) == 0


def test_someone_failing_on_every_account_of_the_class_does_not_lock_the_class_out():
    clock = Clock()
    throttle = SignInThrottle(clock)
    learners = [f"eleve{i}" for i in range(30)]
    for _round in range(5):
        for name in learners:
            throttle.failed(name, SCHOOL)
    # 150 failures from the school's address: an untrusted browser there waits at most CLIENT.cap,
    assert 0 < throttle.wait("eleve31", SCHOOL) <= CLIENT.cap
    # and every learner signs in from the browser she used before, at once.
    assert all(throttle.wait(name, SCHOOL, device=f"browser-of-{name}") == 0 for name in learners)


def test_guessing_one_account_from_many_addresses_is_slowed_but_its_owner_is_not_kept_out():
    clock = Clock()
    throttle = SignInThrottle(clock)
    for i in range(40):
        throttle.failed("alice", f"198.51.100.{i}")
    assert 0 < throttle.wait("alice", "203.0.113.7") <= ACCOUNT.cap
    assert throttle.wait("alice", SCHOOL, device="alice-laptop") == 0
