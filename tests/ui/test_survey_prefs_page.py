"""The Survei page's IKM-for-IPKP choice in AppTest: off by default, a koordinator turns it on
and uses a period's IKM for H.II.a, whose provenance line then says it is a stand-in; a
pimpinan only sees the unit's choice."""

from __future__ import annotations

CHOICE = "surveyprefs_ikm_as_ipkp"


def open_surveys(at):
    at.switch_page("wbk/ui/pages/surveys.py").run()
    assert not at.exception, at.exception
    return at


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_a_koordinator_turns_it_on_and_uses_ikm_for_h_ii_a(app_as):
    at = open_surveys(app_as("koordinator"))
    assert at.checkbox(key=CHOICE).value is False
    assert not [b for b in at.button if b.key == "surveyprefs_use"]
    at.checkbox(key=CHOICE).check().run()
    assert not at.exception, at.exception
    assert at.checkbox(key=CHOICE).value is True
    at.button(key="surveyprefs_use").click().run()
    assert not at.exception, at.exception
    assert "IKM sebagai pengganti IPKP \\*" in captions(at)


def test_a_pimpinan_sees_the_choice_but_cannot_change_it(app_as):
    at = open_surveys(app_as("pimpinan"))
    assert not [c for c in at.checkbox if c.key == CHOICE]
    assert "tidak memakai IKM sebagai pengganti IPKP" in captions(at)
