"""Per-learner fair scheduling: the Virtual Token Counter (Sheng et al., OSDI'24).

Requests are keyed on the learner (an account, or a signed session), never on
the IP: a whole school shares one address. Each learner has a counter of the
service she received, in weighted tokens:

- at dispatch her counter grows by the request's prompt tokens / weight;
- while her answer streams it grows by 2 x the generated tokens / weight
  (`charge`), so long answers cost what they cost;
- the next request to run is the head of the backlogged learner with the
  smallest counter (ties: the earlier ticket);
- a learner who becomes backlogged (a request while she has none waiting or
  running) is lifted to the smallest counter of those waiting; with nobody
  waiting, to the counter the last learner had when she stopped being
  backlogged (VTC's rule), so idling never banks credit that would later starve
  the others. A learner whose answer is still running stays backlogged: with
  one waiting request per learner, the paper's "always backlogged" client is
  one who asks again while her answer streams;
- the cohort weight divides every increment (weight 2 = twice the share).

A learner has at most MAX_RUNNING running and MAX_WAITING waiting requests
(`enter` refuses more with LEARNER_BUSY). The `fcfs` policy (first come, first
served) is kept for comparison in the load harness only.

The class is pure state over plain data (no clock, no I/O); `gate.store`
wraps it under a lock, and the Redis backend runs the same rules in Lua, both
tested on the same exact sequences.

Constants: MAX_RUNNING, MAX_WAITING, OUTPUT_FACTOR, POLICIES.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MAX_RUNNING = 1
MAX_WAITING = 1
OUTPUT_FACTOR = 2.0
POLICIES = ("vtc", "fcfs")
LEARNER_BUSY = "learner_busy"


@dataclass(frozen=True)
class Ticket:
    """One request in the queue: whose, how big, which weight, in which order it came."""

    id: str
    learner: str
    prompt_tokens: int
    weight: float = 1.0
    seq: int = 0
    cohort: str = "public"
    arrived: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Ticket:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class FairQueue:
    """Waiting and running tickets with the learners' virtual token counters."""

    policy: str = "vtc"
    counters: dict[str, float] = field(default_factory=dict)
    waiting: dict[str, list[Ticket]] = field(default_factory=dict)  # learner -> FIFO
    running: dict[str, Ticket] = field(default_factory=dict)  # ticket id -> ticket
    last_left: float = 0.0

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(f"unknown policy {self.policy!r}")

    # -- questions ---------------------------------------------------------------
    def backlogged(self, learner: str) -> bool:
        return bool(self.waiting.get(learner)) or self.running_of(learner) > 0

    def running_of(self, learner: str) -> int:
        return sum(1 for ticket in self.running.values() if ticket.learner == learner)

    def waiting_tickets(self) -> list[Ticket]:
        """Every waiting ticket, in the order they would run if nothing else came."""
        return sorted((t for queue in self.waiting.values() for t in queue), key=self._rank)

    def refusal(self, learner: str) -> str | None:
        """LEARNER_BUSY when this learner may not add a request now, else None."""
        if len(self.waiting.get(learner, ())) >= MAX_WAITING:
            return LEARNER_BUSY
        if self.running_of(learner) >= MAX_RUNNING and MAX_WAITING == 0:
            return LEARNER_BUSY
        return None

    # -- transitions -------------------------------------------------------------
    def enter(self, ticket: Ticket) -> str | None:
        """Queue `ticket`; returns None, or LEARNER_BUSY (nothing changed)."""
        refused = self.refusal(ticket.learner)
        if refused is not None:
            return refused
        learner = ticket.learner
        if not self.backlogged(learner):
            others = [self.counters.get(v, 0.0) for v, queue in self.waiting.items() if queue and v != learner]
            floor = min(others) if others else self.last_left
            self.counters[learner] = max(self.counters.get(learner, 0.0), floor)
        self.waiting.setdefault(learner, []).append(ticket)
        return None

    def dispatch(self, free_slots: int) -> list[Ticket]:
        """Start up to `free_slots` tickets, fairest first; they are running when returned."""
        started: list[Ticket] = []
        for _ in range(max(0, free_slots)):
            eligible = [q[0] for learner, q in self.waiting.items() if q and self.running_of(learner) < MAX_RUNNING]
            if not eligible:
                break
            ticket = min(eligible, key=self._rank)
            queue = self.waiting[ticket.learner]
            queue.pop(0)
            self.counters[ticket.learner] = (
                self.counters.get(ticket.learner, 0.0) + ticket.prompt_tokens / ticket.weight
            )
            if not queue:
                del self.waiting[ticket.learner]
            self.running[ticket.id] = ticket
            started.append(ticket)
        return started

    def charge(self, ticket: Ticket, generated_tokens: float) -> None:
        """Count `generated_tokens` more streamed tokens against the ticket's learner."""
        if generated_tokens:
            self.counters[ticket.learner] = (
                self.counters.get(ticket.learner, 0.0) + OUTPUT_FACTOR * generated_tokens / ticket.weight
            )

    def finish(self, ticket_id: str) -> Ticket | None:
        """The ticket stops running (done, failed or stopped)."""
        return self.cancel(ticket_id)

    def cancel(self, ticket_id: str) -> Ticket | None:
        """Remove a waiting or running ticket; the removed ticket, or None."""
        removed = self.running.pop(ticket_id, None)
        if removed is None:
            for learner, queue in list(self.waiting.items()):
                for ticket in queue:
                    if ticket.id == ticket_id:
                        queue.remove(ticket)
                        if not queue:
                            del self.waiting[learner]
                        removed = ticket
                        break
        if removed is not None and not self.backlogged(removed.learner):
            self.last_left = self.counters.get(removed.learner, 0.0)
        return removed

    def _rank(self, ticket: Ticket) -> tuple:
        if self.policy == "fcfs":
            return (ticket.seq,)
        return (self.counters.get(ticket.learner, 0.0), ticket.seq)
