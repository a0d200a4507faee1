"""Entry point of the wbk Streamlit app (placeholder until the workspace pages land)."""

import streamlit as st

from wbk.catalog import load_catalog
from wbk.i18n import t

st.set_page_config(page_title="wbk: Zona Integritas", page_icon="🛡️", layout="wide")
catalog = load_catalog()
st.title("wbk: Zona Integritas")
st.write(f"{t('cli.catalog')}: {catalog.name} ({catalog.id}), {len(catalog.items)} butir.")
