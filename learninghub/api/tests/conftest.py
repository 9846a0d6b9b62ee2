"""Fixtures for the API: a token for any role in the shared `world`."""

from __future__ import annotations

import pytest

from .factories import make_token


@pytest.fixture
def token_for(world):
    """The plaintext of a new token for the person in `role`."""

    def make(role: str, name: str = "Test script") -> str:
        return make_token(world.user(role), name)[1]

    return make
