"""The public survey form at the service counter: /survei?u=<unit code>&k=<kiosk key>.
No sign-in and no sidebar; the key only lets the form add responses for its unit and period."""

from __future__ import annotations

import streamlit as st

from wbk.ui.surveys import kiosk_form

kiosk_form.render(str(st.query_params.get("u") or ""), str(st.query_params.get("k") or ""))
