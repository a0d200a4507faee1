"""The public survey form at the service counter (filled in by the kiosk feature)."""

from __future__ import annotations

import streamlit as st

st.title("Survei")
