"""Streamlit pages (run by path from streamlit_app.py)."""
