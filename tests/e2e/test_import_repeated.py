"""A motion given twice in one import goes in once, as its later copy (issue 18, defect 8).

Before, an export that listed an id twice, or an OParl list that repeated a paper, crashed the import
with a KeyError in Store.import_motions: the second copy looked for the model of a motion the same
transaction had only just staged.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from store import Store, example_motion

from helpers.oparl_server import OParlServer
from helpers.sync import cli

pytestmark = pytest.mark.usefixtures("bounded")  # a clean environment, English, at most 10 s a test


def _export_listing_twice(tmp_path: Path) -> Path:
    source = tmp_path / "source.json"
    assert cli(source, "example").code == 0
    exported = tmp_path / "export.json"
    assert cli(source, "export", "--format", "json", "-o", str(exported)).code == 0
    data = json.loads(exported.read_text("utf-8"))
    [motion] = data["motions"]
    data["motions"] = [motion, {**copy.deepcopy(motion), "title": "Die spätere Fassung"}]
    exported.write_text(json.dumps(data), "utf-8")
    return exported


@pytest.mark.parametrize("present", [False, True], ids=["into an empty store", "over the motion"])
def test_an_export_listing_an_id_twice_imports_the_later_copy(tmp_path: Path, present: bool) -> None:
    exported = _export_listing_twice(tmp_path)
    db = tmp_path / "data.json"
    if present:
        assert cli(db, "example").code == 0
    result = cli(db, "import", str(exported), "--yes")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    with Store(db, user="x") as store:
        assert [(m.id, m.title) for m in store.motions()] == [(example_motion().id, "Die spätere Fassung")]


def test_an_oparl_list_repeating_a_paper_imports_it_once(tmp_path: Path, oparl: OParlServer) -> None:
    repeated = oparl.paper(1)  # on the last page too, changed while the list was paged through
    oparl.papers.append({**repeated, "name": "Antrag Nr. 1: Radweg an der Hauptstraße (geändert)"})
    db = tmp_path / "data.json"
    result = cli(db, "oparl", oparl.url("/body/0"))
    assert result.code == 0, result.err
    with Store(db, user="x") as store:
        by_reference = {m.reference: m.title for m in store.motions()}
    assert sorted(by_reference) == sorted(f"{n}/2024" for n in (1, 3, 5, 7, 9, 11))
    assert by_reference["1/2024"] == "Antrag Nr. 1: Radweg an der Hauptstraße (geändert)"
