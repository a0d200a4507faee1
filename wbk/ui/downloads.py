"""Large files (backups, binders) are written to disk first; the browser gets them from there
only below a size limit, so the app never holds hundreds of megabytes in memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from wbk.i18n import t
from wbk.ui import session


def build_and_offer(
    key: str, label: str, build: Callable[[], Path], mime: str, icon: str, help: str | None = None
) -> None:
    """A button that builds the file on disk, then a download button (or where to find it)."""
    if st.button(label, key=f"build-{key}", icon=icon, help=help):
        with st.spinner(t("ui.building")):
            path = session.run_action(build)
        session.flash()
        if path is not None:
            st.session_state[f"_file-{key}"] = str(path)
    done = st.session_state.get(f"_file-{key}")
    if not done:
        return
    path = Path(done)
    if not path.exists():
        st.session_state.pop(f"_file-{key}", None)
        return
    size_mb = path.stat().st_size / 1e6
    st.caption(t("ui.file_written", path=session.esc(str(path)), size=f"{size_mb:.1f}"))
    limit = session.workspace().settings.max_download_mb
    if size_mb <= limit:
        st.download_button(
            t("ui.download"),
            data=lambda: path.read_bytes(),
            file_name=path.name,
            mime=mime,
            icon=":material/download:",
            key=f"dl_{key}",
        )
    else:
        st.info(t("ui.download_too_large", limit=limit))
