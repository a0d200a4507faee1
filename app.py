"""The web server: Streamlit's own (``st.App``) running streamlit_app.py, with the page it
sends the browser naming the app's base address and language (``wbk/ui/server.py``).
Start it with ``streamlit run app.py`` (the same options as for streamlit_app.py)."""

import streamlit as st
from starlette.middleware import Middleware

from wbk.settings import get_settings
from wbk.ui.server import BaseAddress

app = st.App("streamlit_app.py", middleware=[Middleware(BaseAddress, lang=get_settings().lang)])
