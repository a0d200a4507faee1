"""No Streamlit default in English where a choice is still empty (issue 23: "Choose an option"
in Admin > Pengguna), and the file uploader's own words replaced in Indonesian."""

from __future__ import annotations

import pytest

from tests.ui.test_pages import PAGES, open_page


def _empty_choices(at):
    """Selectboxes without a value and multiselects: where Streamlit shows its placeholder."""
    boxes = [s for s in at.selectbox if not s.proto.HasField("default")]
    return boxes + list(at.multiselect)


def test_admin_people_asks_for_a_unit_in_indonesian(app_as):
    at = open_page(app_as("admin"), "admin")
    unit = at.selectbox(key="new_unit")
    assert unit.value is None and "" not in unit.options
    assert unit.proto.placeholder == "Pilih unit (kosongkan untuk peran tanpa unit)"
    assert at.selectbox(key="grant_role_unit").proto.placeholder == unit.proto.placeholder


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_empty_choice_has_our_placeholder(app_as, page):
    at = open_page(app_as("admin"), page)
    missing = [w.key or w.label for w in _empty_choices(at) if not w.proto.placeholder]
    assert missing == []


def test_the_uploader_words_are_replaced_in_indonesian_only(app_as):
    at = app_as("koordinator")
    css = " ".join(h.proto.body for h in at.get("html"))
    assert '"Pilih berkas"' in css and "maksimal 50 MB per berkas" in css
    at.radio(key="lang_choice").set_value("en").run()
    assert "Pilih berkas" not in " ".join(h.proto.body for h in at.get("html"))
