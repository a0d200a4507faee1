"""Akun saya: everyone changes their own password and the address reminders go to."""

from __future__ import annotations

import streamlit as st

from wbk.i18n import t
from wbk.ui import session
from wbk.ui.admin.people import own_password


@session.guarded
def main() -> None:
    actor = session.require_actor()
    st.title(t("followup.account.title"))
    session.flash()
    own_password(session.workspace(), actor)


main()
