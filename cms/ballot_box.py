"""The secret ballot: the one place for its rules, used by officer elections and by the secret
polls and ballots on motions (participation).

A secret vote is kept in two parts that cannot be lined up: the register says THAT a member
voted, on which UK day (never the time); the ballot says HOW, under a random id, with no voter,
no time, and the digest of a receipt code shown once to its voter. Ballots wait in a pool and
reach the box in shuffled batches, so neither row order nor ids follow the register's order.
"""

import hashlib
import random
import secrets

from django.conf import settings

from .times import uk_date

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)


def new_receipt_code():
    """12 random characters in groups of four: "K7QM-2HXD-9RTA"."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def receipt_digest(code):
    """What is kept of a receipt code: its SHA-256, after dropping case, dashes and spaces."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def register_day(moment=None):
    """The UK day the register records for a vote cast at `moment` (now by default)."""
    return uk_date(moment)


def pool_size():
    """N of the pool: ballots wait until 2N are pending, then a random N of them go into the box."""
    return max(1, int(getattr(settings, "ELECTION_BALLOT_POOL", 50)))


def batch_to_seal(pending, *, everything=False):
    """Which pending ballots go into the box now, in a shuffled order: all of them when the vote
    has closed (`everything`), else a random N once 2N are pending (so that every ballot hides
    among at least N others), else none."""
    pending = list(pending)
    size = pool_size()
    if not everything and len(pending) < 2 * size:
        return []
    shuffler = random.SystemRandom()
    shuffler.shuffle(pending)
    return pending if everything else pending[:size]


def shuffled(rows):
    """`rows` in a random order (what is written together is written in no telling order)."""
    rows = list(rows)
    random.SystemRandom().shuffle(rows)
    return rows
