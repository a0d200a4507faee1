"""The binder as one download in the app: the zip's bytes under the limit, nothing above it."""

from __future__ import annotations

import io
import zipfile

from wbk.services import demo
from wbk.services.assessment import reports
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings


def test_the_binder_is_bytes_under_the_limit_and_refused_above(tmp_path):
    ws = open_workspace(Settings(data_dir=tmp_path / "data"))
    aid = demo.create_demo(ws)
    koordinator = people.actor_for(ws, "koordinator")
    data = reports.binder_download(ws, koordinator, aid)
    assert data is not None
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "manifest.csv" in names and any(n.endswith(".pdf") for n in names)
    ws.db.dispose()
    tight = open_workspace(Settings(data_dir=tmp_path / "data", max_download_mb=0))
    assert reports.binder_download(tight, koordinator, aid) is None
    tight.db.dispose()
