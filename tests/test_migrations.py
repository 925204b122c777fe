"""Alembic migrations: one linear history, and the models match the migrated schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from receivables.storage.database import alembic_config
from receivables.storage.models import Base


def test_migrations_have_one_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()

    assert len(heads) == 1, f"several migration heads {heads}: chain the newest after the other"


def test_models_match_migrated_schema(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []
