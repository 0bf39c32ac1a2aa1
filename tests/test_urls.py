"""mask_url: no password survives, whatever the URL looks like; the rest is kept."""

from __future__ import annotations

import pytest

from kpi_engine import mask_url


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://me:S3cret@db/x", "postgresql://me:***@db/x"),
        ("mysql://root:S3cret@127.0.0.1:3306/db?charset=utf8mb4", "mysql://root:***@127.0.0.1:3306/db?charset=utf8mb4"),
        ("postgresql://u@h/db?password=S3cret&sslmode=require", "postgresql://u@h/db?password=***&sslmode=require"),
        ("postgresql://u@h/db?PASSWORD=S3cret#f", "postgresql://u@h/db?PASSWORD=***#f"),
        ("postgresql://u:S3cret@h1:5432,h2:5433/db", "postgresql://u:***@h1:5432,h2:5433/db"),
        ("postgresql://u:S3cret@[::1]:5432/db", "postgresql://u:***@[::1]:5432/db"),
        # Unencoded '/', '?', '#', '@' in the password: masked all the same.
        ("postgresql://u:S3/cret@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u:S3?cret@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:S3#cret@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:S3@cret@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:S3cret@[::1/db", "postgresql://u:***@[::1/db"),
        # Nothing secret: unchanged.
        ("postgresql://h:5432/db?application_name=a@b", "postgresql://h:5432/db?application_name=a@b"),
        ("duckdb://", "duckdb://"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgresql://me@db/x", "postgresql://me@db/x"),
    ],
)
def test_mask_url(url, masked):
    assert mask_url(url) == masked


def test_spark_connect_token_is_masked():
    assert mask_url("sc://cluster:15002/;token=abc123;user_id=ana") == "sc://cluster:15002/;token=***;user_id=ana"
