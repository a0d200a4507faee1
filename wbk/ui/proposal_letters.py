"""Admin > PortalRB: the Surat Pengajuan Evaluasi and the SPTJM that send a year's proposals
(PermenPANRB 5/2024), one download each, built by the service when clicked."""

from __future__ import annotations

from datetime import date

import streamlit as st

from wbk.i18n import t
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace
from wbk.services.portalrb import letters
from wbk.ui import session

ICONS = {"letter": ":material/mail:", "sptjm": ":material/verified:"}


def letters_section(ws: Workspace, actor: Actor) -> None:
    """The agency whose letters to write (a unit the actor may propose from, with units
    proposed at or below it that year), the optional number and signer, two downloads."""
    year = date.today().year
    st.markdown(f"**{t('letters.ui.title')}**")
    c1, c2 = st.columns([1, 3])
    year = int(
        c1.number_input(
            t("ui.year"), min_value=2020, max_value=2100, value=year, step=1, key="letters_year"
        )
    )
    st.caption(t("letters.ui.intro", deadline=session.fmt_date(letters.deadline(year))))
    senders = dict(letters.letter_senders(ws, actor, year))
    if not senders:
        c2.caption(t("letters.ui.none", year=year))
        return
    unit = c2.selectbox(
        t("letters.ui.agency"),
        list(senders),
        format_func=lambda c: f"{c} · {senders[c]}",
        key="letters_unit",
    )
    with st.expander(t("letters.ui.signer")):
        a, b = st.columns(2)
        number = a.text_input(t("letters.number"), key="letters_number")
        place = b.text_input(t("letters.ui.place"), key="letters_place")
        name = a.text_input(t("letters.name"), key="letters_name")
        nip = b.text_input(t("letters.nip"), key="letters_nip")
        title = st.text_input(
            t("letters.position"), key="letters_position", placeholder=t("letters.ui.position")
        )
    if letters.past_deadline(year):
        st.warning(
            t("letters.ui.late", year=year, deadline=session.fmt_date(letters.deadline(year))),
            icon=":material/schedule:",
        )
    signer = letters.Signer(title=title, name=name, nip=nip, place=place, number=number)
    for column, kind in zip(st.columns(2), letters.KINDS, strict=True):
        column.download_button(
            t(f"letters.ui.download_{kind}"),
            data=lambda kind=kind: letters.build(ws, actor, kind, unit, year, signer).content,
            file_name=letters.file_name(kind, unit, year),
            mime=letters.MIME,
            icon=ICONS[kind],
            key=f"dl_letters_{kind}",
        )
