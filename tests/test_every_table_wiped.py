"""Uninstall and forget-me checked over every table of the schema, derived from the model metadata: a
table added later is covered without being listed anywhere (tests/support/every_table.py seeds it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select

from slackapp.jobs import housekeeping
from tests.conftest import UNINSTALL_GRACE, Kindly
from tests.support.every_table import (
    INSTALLATION_TABLES,
    SEEDED_AT,
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
# Not seeded for the workspace that stays: housekeeping cancels the pending wipe of an installed workspace.
UNINSTALL_BOOKKEEPING = ("pending_wipes",)
# Rows the housekeeping job removes on its own once old: a week's reactions once frozen, old event ids.
AGED_OUT_BY_HOUSEKEEPING = ("prompt_feedback", "processed_events")
ELSEWHERE = "T0OTHER"  # another workspace where ALICE's user id also appears


def test_every_table_is_either_a_workspaces_or_listed_as_holding_nobodys_data() -> None:
    unscoped = {table.name for table in kindly_tables() if not belongs_to_a_workspace(table)}
    assert unscoped == set(UNSCOPED), (
        "a new table: give it a team_id (or a key to one), or list it in UNSCOPED"
    )


def test_an_uninstall_leaves_no_row_of_the_workspace_in_any_table(distributed: Kindly) -> None:
    assert_uninstall_wipes_every_table(distributed, grace=False)


def test_the_wipe_after_the_grace_period_leaves_no_row_of_the_workspace_in_any_table(
    distributed_with_grace: Kindly,
) -> None:
    assert_uninstall_wipes_every_table(distributed_with_grace, grace=True)


def assert_uninstall_wipes_every_table(kindly: Kindly, *, grace: bool) -> None:
    for team in (ANNA.team_id, BORIS.team_id):
        install(kindly, team)
    engine = kindly.runtime.engine
    with engine.begin() as connection:
        seeder = Seeder(connection)
        seeder.seed(ANNA.team_id, person=ANNA.user_id, other="U0ANNA2")
        seeder.seed(BORIS.team_id, person=BORIS.user_id, other="U0BORIS2", skip=UNINSTALL_BOOKKEEPING)
    scoped = [table for table in kindly_tables() if "team_id" in table.columns]
    with engine.connect() as connection:
        for table in (*scoped, *INSTALLATION_TABLES):
            assert ANNA.team_id in teams_in(connection, table), table.name

    uninstall(kindly, ANNA)
    if grace:  # the housekeeping job wipes it once the grace period ended
        kindly.clock.set(max(kindly.clock(), SEEDED_AT) + UNINSTALL_GRACE + timedelta(days=1))
        housekeeping(kindly.runtime.services)

    with engine.connect() as connection:
        for table in (*scoped, *INSTALLATION_TABLES):
            assert ANNA.team_id not in teams_in(connection, table), (
                f"{table.name} kept the uninstalled workspace"
            )
            if table.name not in UNINSTALL_BOOKKEEPING:
                assert BORIS.team_id in teams_in(connection, table), f"{table.name} lost the other workspace"
        for row in seeder.rows:
            gone = still_there(connection, row) is None
            if row.team_id == ANNA.team_id and belongs_to_a_workspace(row.table):
                assert gone, f"{row.table.name} kept a row of the uninstalled workspace"
            elif not (grace and row.table.name in AGED_OUT_BY_HOUSEKEEPING):
                assert not gone, f"{row.table.name} lost a row it should keep"


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


INSTALLER = Person("U1234", "T0001", "installer")  # FakeSlack's oauth.v2.access names them `authed_user`


def test_forget_me_of_the_person_who_installed_kindly_leaves_their_id_in_no_installation_row(
    distributed: Kindly,
) -> None:
    kindly = distributed
    install(kindly, INSTALLER.team_id)
    modal = view_after(kindly, "views.open", lambda: kindly.slack.command("forget-me", who=INSTALLER))
    done = kindly.slack.view_submission(fill(modal, {"confirm": "forget me"}), who=INSTALLER).json()
    assert done["response_action"] == "update"
    kindly.settle()
    with kindly.runtime.engine.connect() as connection:
        for table in INSTALLATION_TABLES:
            naming = [c for c in table.columns if c.name in {"user_id", "installer_user_id"}]
            for column in naming:
                found = connection.execute(select(column).where(column == INSTALLER.user_id)).first()
                assert found is None, f"{table.name}.{column.name} still names the installer"
