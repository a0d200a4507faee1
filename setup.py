"""Packaging: the `wbk` package plus the criteria catalogs, which live at the top of the
repository (criteria/) and ship inside the wheel as the package `wbk.criteria`."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["wbk", "wbk.*"], exclude=["wbk.criteria*"]),
        "wbk.criteria",
        "wbk.criteria.surveys",  # a data folder of the criteria package (no Python in it)
    ],
    package_dir={"wbk.criteria": "criteria"},
    package_data={
        "wbk.i18n.locales": ["*.yaml"],
        "wbk.store.migrations": ["script.py.mako"],
        "wbk.criteria": ["*.yaml"],
        "wbk.criteria.surveys": ["*.yaml"],
        "wbk.ui.assets": ["*.png"],
    },
)
