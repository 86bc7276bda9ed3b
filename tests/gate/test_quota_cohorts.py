"""Quotas with aligned windows, cohorts, single-use HMAC invitations, kill switches."""

from __future__ import annotations

import json

import pytest

from precepteur.gate.cohorts import (
    GLOBAL, InvalidInvitation, Switch, Switches, load_cohorts, make_invitation, verify_invitation,
)
from precepteur.gate.quota import Quota, counter_key, decide, reset_in

NOW = 1_700_000_030.0  # 30 s into a minute; 2023-11-14 22:13:50 UTC


def test_windows_reset_on_the_minute_and_the_utc_day():
    assert reset_in("minute", NOW) == 10  # 1_700_000_040 is a minute boundary
    assert reset_in("day", NOW) == 86_400 - int(NOW % 86_400)


def test_requests_per_minute_refuse_with_the_reset_as_retry_after():
    quota = Quota(requests_per_minute=2)
    key = counter_key("alice", "minute", "requests", NOW)
    assert decide({key: 1}, "alice", quota, 10, NOW).allowed
    refused = decide({key: 2}, "alice", quota, 10, NOW)
    assert (refused.allowed, refused.retry_after, refused.window, refused.kind) == (False, 10, "minute", "requests")
    # the next minute is a fresh window
    assert decide({key: 2}, "alice", quota, 10, NOW + 10).allowed


def test_token_quota_counts_the_prompt():
    quota = Quota(tokens_per_day=1000)
    key = counter_key("bob", "day", "tokens", NOW)
    assert decide({key: 900}, "bob", quota, 100, NOW).allowed
    assert not decide({key: 901}, "bob", quota, 100, NOW).allowed


def test_cohorts_file_overrides_built_in_cohorts(tmp_path):
    path = tmp_path / "cohorts.json"
    path.write_text(json.dumps([{"name": "beta", "weight": 2, "quota": {"requests_per_minute": 3},
                                 "features": ["arena"], "max_answer_tokens": 200}]))
    cohorts = load_cohorts(path)
    assert list(cohorts) == ["redteam", "alpha", "beta", "public"]
    beta = cohorts["beta"]
    assert (beta.weight, beta.quota.requests_per_minute, beta.features, beta.max_answer_tokens) == (
        2.0, 3, frozenset({"arena"}), 200)
    path.write_text(json.dumps([{"name": "x", "weight": 0}]))
    with pytest.raises(ValueError):
        load_cohorts(path)


def test_invitation_round_trip_forgery_and_expiry():
    token = make_invitation("s3cret", "alpha", NOW, days=1, nonce="n1")
    assert token.startswith("inv_alpha.n1.")
    invitation = verify_invitation("s3cret", token, NOW + 10)
    assert (invitation.cohort, invitation.nonce, invitation.expires) == ("alpha", "n1", int(NOW) + 86_400)
    for bad, reason in (
        (token.replace("alpha", "redteam"), "forged"),
        ("inv_x", "malformed"),
        ("alpha.n1", "malformed"),
    ):
        with pytest.raises(InvalidInvitation) as caught:
            verify_invitation("s3cret", bad, NOW)
        assert caught.value.reason == reason
    with pytest.raises(InvalidInvitation) as caught:
        verify_invitation("other", token, NOW)
    assert caught.value.reason == "forged"
    with pytest.raises(InvalidInvitation) as caught:
        verify_invitation("s3cret", token, NOW + 86_400)
    assert caught.value.reason == "expired"


def test_global_switch_wins_over_a_cohort_switch():
    switches = Switches().with_switch(Switch("beta", True, "beta arrêtée", 60))
    assert switches.blocking("alpha") is None
    assert switches.blocking("beta").message == "beta arrêtée"
    switches = switches.with_switch(Switch(GLOBAL, True, "tout arrêté", 120))
    assert switches.blocking("alpha").retry_after == 120
    assert switches.blocking("beta").scope == GLOBAL
