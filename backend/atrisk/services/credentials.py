"""Secrets: argon2 password hashes, random session ids and API tokens, and their keyed hashes.

Session ids and tokens carry 256 random bits, so a keyed SHA-256 (HMAC with the
secret key) is enough to store them: the database never holds a usable credential.

Every argon2 computation holds 64 MiB for a fraction of a second, so a process runs at
most `CONCURRENT_PASSWORD_HASHES` of them at once; a burst of sign-ins waits its turn
instead of growing the process's memory.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import secrets
import time
import weakref

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from atrisk.domain.accounts import PASSWORD_MAX_LENGTH

TOKEN_PREFIX = "atr_"  # noqa: S105 (a marker that makes leaked tokens easy to spot)

_hasher = PasswordHasher()

CONCURRENT_PASSWORD_HASHES = 2
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)
# How long a password check takes here, waiting included (a moving average).
_typical_check_seconds = 0.2


def _hashing_slots() -> asyncio.Semaphore:
    """The bound on concurrent argon2 work, one per event loop."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(CONCURRENT_PASSWORD_HASHES)
    return slots


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def keyed_hash(key: bytes, value: str) -> str:
    """What is stored for a session id, token or throttle key: HMAC-SHA256, hex."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


async def hash_password(password: str) -> str:
    async with _hashing_slots():
        return await asyncio.to_thread(_hasher.hash, password)


@functools.cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(stored: str | None, password: str) -> bool:
    if len(password) > PASSWORD_MAX_LENGTH:
        return False
    try:
        # An unknown account still costs one verification, so timing tells nothing.
        return _hasher.verify(stored or _decoy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """True if `password` matches `stored`; None (no such account) never matches."""
    global _typical_check_seconds
    started = time.monotonic()
    async with _hashing_slots():
        matches = await asyncio.to_thread(_verify, stored, password)
    took = time.monotonic() - started
    _typical_check_seconds = 0.9 * _typical_check_seconds + 0.1 * min(took, 10.0)
    return matches


async def pretend_to_verify() -> None:
    """Take as long as a password check does, without doing one (or using its memory)."""
    await asyncio.sleep(_typical_check_seconds)


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
