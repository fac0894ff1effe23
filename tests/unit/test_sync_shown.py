"""A server's text as a message shows it (store/sync/http.py ``shown``): the usual text as it is, every control
character and direction override made visible, and at most SHOWN characters."""

from __future__ import annotations

from store.sync.http import SHOWN, shown
from store.values import CONTROL_IN_LINE


def test_a_printable_text_is_shown_as_it_is_and_cut_short_past_the_limit() -> None:
    assert shown("5a5c0422-f71f-43df-8ed1-66b8239936e4") == "5a5c0422-f71f-43df-8ed1-66b8239936e4"
    assert shown("Amt 61 – Kreisentwicklung") == "Amt 61 – Kreisentwicklung"
    assert shown(7) == "7"
    assert shown("x" * SHOWN) == "x" * SHOWN
    assert shown("x" * (SHOWN + 1)) == "x" * (SHOWN - 3) + "..."


def test_every_character_a_line_may_not_hold_is_shown_escaped() -> None:
    refused = [chr(point) for point in range(0x3000) if CONTROL_IN_LINE.match(chr(point))]
    assert len(refused) == 32 + 33 + 5 + 4  # C0, DEL and C1, the embeddings and overrides, the isolates
    for character in refused:
        said = shown(f"id{character}")
        assert said == "id" + ascii(character)[1:-1] and not CONTROL_IN_LINE.search(said)
