"""LKE catalogs, survey instruments and catalog migration maps (data; shipped as wbk.criteria)."""
