"""The messages around an export render as valid Block Kit."""

from __future__ import annotations

import copy
import uuid
from typing import get_args

import pytest

from slackapp.rendering import Renderer
from slackapp.rendering.data_rights import DeletionOutcome, export_deleted_message, export_message
from slackapp.rendering.limits import validate_message
from tests.support.blockkit import assert_no_mentions
from tests.support.views import all_text, button

DATA_RIGHTS_TEMPLATES = {"messages/export_files.json.j2", "messages/export_deleted.json.j2"}


def test_the_export_message_offers_to_delete_that_export() -> None:
    export_id = uuid.uuid4()
    message = export_message(Renderer(), export_id=export_id)
    validate_message(copy.deepcopy(message))
    assert button(message, "export_delete_now")["value"] == str(export_id)
    assert "plain text" in message["text"]


@pytest.mark.parametrize("outcome", get_args(DeletionOutcome))
def test_each_deletion_answer_is_valid_and_distinct(outcome: DeletionOutcome) -> None:
    message = export_deleted_message(Renderer(), outcome=outcome)
    validate_message(copy.deepcopy(message))
    assert_no_mentions(message)
    others = {
        export_deleted_message(Renderer(), outcome=other)["text"] for other in get_args(DeletionOutcome)
    }
    assert len(others) == len(get_args(DeletionOutcome)) and all_text(message)
