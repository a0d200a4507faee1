"""Portofolio: every unit below the reader's units for one year (filled in by the portfolio
feature)."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t

st.title(t("portfolio.nav"))
