"""Streamlit user interface: thin pages over the services (the only package importing streamlit)."""
