"""Tokens made before expiry and scope existed keep working as before, for 90 days from when
they were made (migration 0002)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("api", "0001_initial")]
AFTER = [("api", "0002_token_expiry_and_scope")]


# serialized_rollback: the flush after a transactional test would otherwise take the rows
# other apps' data migrations made (the starting themes) from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_tokens_may_write_and_expire_90_days_after_they_were_made():
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        _check_the_upgrade(executor, [n for n in leaf if n[0] != "api"])
    finally:
        # Leave the schema as every other test expects it.
        MigrationExecutor(connection).migrate(leaf)


def _check_the_upgrade(executor, other_apps):
    # Every other app as it is now (people may have gained fields since api's 0001).
    apps = executor.loader.project_state(other_apps + BEFORE).apps
    user = apps.get_model("partnerships", "User").objects.create(
        email="bu@example.org", password="!"
    )
    made = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
    old = apps.get_model("api", "ApiToken").objects.create(
        user=user, name="Case system", key_prefix="slh_abcd", key_hash="a" * 64, created_at=made
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(other_apps + AFTER).apps
    token = apps.get_model("api", "ApiToken").objects.get(pk=old.pk)
    assert token.scope == "write"
    assert token.expires_at == made + timedelta(days=90)
