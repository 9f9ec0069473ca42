"""A message to the holder on the back of an Apple pass, announced through its change message."""

from __future__ import annotations

import pytest

from passes.content import Slot
from passes.faces import message_field


def test_the_message_is_a_back_field_announced_with_its_title() -> None:
    field = message_field("Spring sale", "All week long.")
    assert (field.key, field.slot) == ("message", Slot.BACK)
    assert (field.label.default, field.value.default) == ("Spring sale", "All week long.")
    assert field.change_message is not None
    assert field.change_message.default == "Spring sale: %@"


@pytest.mark.parametrize(
    ("title", "announced"),
    [("-20% today", "-20%% today: %@"), ("%@ trick", "%%@ trick: %@"), ("100%", "100%%: %@")],
)
def test_percent_signs_in_the_title_are_not_format_directives(title: str, announced: str) -> None:
    field = message_field(title, "Text")
    assert field.change_message is not None
    assert field.change_message.default == announced
