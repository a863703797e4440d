"""Uninstall and forget-me checked over every table of the schema, derived from the model metadata: a
table added later is covered without being listed anywhere (tests/support/every_table.py seeds it)."""

from __future__ import annotations

from sqlalchemy import or_, select

from tests.conftest import Kindly
from tests.support.every_table import (
    INSTALLATION_TABLES,
    UNSCOPED,
    Seeder,
    belongs_to_a_workspace,
    kindly_tables,
    person_columns,
    still_there,
    teams_in,
)
from tests.support.journeys import view_after
from tests.support.oauth import install, uninstall
from tests.support.slack_requests import Person
from tests.support.views import fill

ANNA = Person("U0ANNA", "T0AAA", "anna")  # workspace A, which uninstalls
BORIS = Person("U0BORIS", "T0BBB", "boris")  # workspace B, which stays
ALICE = Person("U0ALICE", "T0001", "alice")  # forgets herself
BOB = Person("U0BOB", "T0001", "bob")  # stays
ELSEWHERE = "T0OTHER"  # another workspace where ALICE's user id also appears


def test_every_table_is_either_a_workspaces_or_listed_as_holding_nobodys_data() -> None:
    unscoped = {table.name for table in kindly_tables() if not belongs_to_a_workspace(table)}
    assert unscoped == set(UNSCOPED), (
        "a new table: give it a team_id (or a key to one), or list it in UNSCOPED"
    )


def test_an_uninstall_leaves_no_row_of_the_workspace_in_any_table(distributed: Kindly) -> None:
    kindly = distributed
    for team in (ANNA.team_id, BORIS.team_id):
        install(kindly, team)
    engine = kindly.runtime.engine
    with engine.begin() as connection:
        seeder = Seeder(connection)
        for person in (ANNA, BORIS):
            seeder.seed(person.team_id, person=person.user_id, other=f"{person.user_id}2")
    scoped = [table for table in kindly_tables() if "team_id" in table.columns]
    with engine.connect() as connection:
        for table in (*scoped, *INSTALLATION_TABLES):
            assert teams_in(connection, table) >= {ANNA.team_id, BORIS.team_id}, table.name

    uninstall(kindly, ANNA)

    with engine.connect() as connection:
        for table in (*scoped, *INSTALLATION_TABLES):
            assert ANNA.team_id not in teams_in(connection, table), (
                f"{table.name} kept the uninstalled workspace"
            )
            assert BORIS.team_id in teams_in(connection, table), f"{table.name} lost the other workspace"
        for row in seeder.rows:
            if belongs_to_a_workspace(row.table):
                gone = still_there(connection, row) is None
                assert gone == (row.team_id == ANNA.team_id), (row.table.name, row.team_id)


def test_forget_me_leaves_the_persons_id_in_no_column_of_any_table_and_others_rows_intact(
    kindly: Kindly,
) -> None:
    engine = kindly.runtime.engine
    with engine.begin() as connection:
        seeder = Seeder(connection)
        seeder.seed(ALICE.team_id, person=ALICE.user_id, other=BOB.user_id)
        seeder.seed(ELSEWHERE, person=ALICE.user_id, other=BOB.user_id)
    with engine.connect() as connection:
        before = {id(row): still_there(connection, row) for row in seeder.rows}

    modal = view_after(kindly, "views.open", lambda: kindly.slack.command("forget-me", who=ALICE))
    done = kindly.slack.view_submission(fill(modal, {"confirm": "forget me"}), who=ALICE).json()
    assert done["response_action"] == "update"
    kindly.settle()

    with engine.connect() as connection:
        for table in kindly_tables():
            columns = person_columns(table)
            if columns and "team_id" in table.columns:
                naming = select(table).where(
                    table.c.team_id == ALICE.team_id, or_(*(column == ALICE.user_id for column in columns))
                )
                assert connection.execute(naming).first() is None, f"{table.name} still names her"
        for row in seeder.rows:
            now = still_there(connection, row)
            if row.team_id == ALICE.team_id and ALICE.user_id in row.people:
                if now is not None:  # anonymised, as the design keeps it (audit rows, a signed shout-out)
                    assert ALICE.user_id not in now.values(), row.table.name
            else:
                assert now == before[id(row)], f"{row.table.name}: someone else's row changed"
