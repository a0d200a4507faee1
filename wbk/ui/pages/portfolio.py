"""Portofolio: every unit below a Kanwil / ministry unit for one year: the group summary, the
table (filter, sort, open a unit's dashboard, xlsx), the charts and the penilaian
pendahuluan with the proposal."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.services.portfolio import portfolio
from wbk.ui import session
from wbk.ui.portfolio import widgets

st.title(t("portfolio.title"))
actor = session.require_actor()
ws = session.workspace()
choice = widgets.pickers(ws, actor)
if choice is None:
    st.stop()
parent, year = choice
p = session.run_action(lambda: portfolio.build_portfolio(ws, actor, parent, year))
if p is None:
    session.flash()
    st.stop()
st.caption(t("portfolio.intro", unit=session.esc(p.parent_name), year=year))
if not p.rows:
    st.info(t("portfolio.empty", unit=session.esc(p.parent_name)))
    st.stop()
widgets.summary(p)
widgets.explore(ws, actor, p)
widgets.preliminary(ws, actor, p)
