"""docs/configuration.md and the declarations say the same: every declared key is documented, every
documented key is declared, and the full example in the page loads."""

from __future__ import annotations

import re
from pathlib import Path

from shipdesk.core.settings import docs
from shipdesk.core.settings.config import load_config

PAGE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_declared_key_is_documented_and_every_documented_key_is_declared():
    assert docs.problems(PAGE.read_text(encoding="utf-8")) == [], (
        "Run `python -m shipdesk.core.settings.docs` to make the tables again.")


def test_the_check_names_a_key_missing_from_the_page_and_one_it_does_not_declare():
    text = PAGE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `poll_every_minutes` |"))
    edited = text.replace(row, "| `poll_every_hour` | whole number | `1` | Not a setting. |")

    assert docs.problems(edited) == ["[sync] poll_every_minutes is declared but not documented.",
                                     "[sync] poll_every_hour is documented but not declared."]
    assert docs.problems(docs.render(edited)) == []  # making the tables again puts the declared row back


def test_a_section_without_its_table_is_named():
    text = PAGE.read_text(encoding="utf-8")
    edited = text.replace("<!-- settings: sync.listener -->", "<!-- settings: sync.listner -->")
    assert docs.problems(edited) == ["[sync.listner] is documented but not declared.",
                                     "[sync.listener] has no <!-- settings: sync.listener --> table."]


def test_the_full_example_in_the_page_loads(tmp_path):
    example = re.search(r"## A full example\n\n```toml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert example is not None
    path = tmp_path / "config.toml"
    path.write_text(example[1], encoding="utf-8")

    config = load_config(path)  # an undeclared key in the example would be an error

    assert [p.kind for p in config.printing.profiles] == ["network", "local", "system"]
    assert config.acumatica.custom_fields.status == "UsrUpsStatus"
