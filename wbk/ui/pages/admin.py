"""Admin: units, users and roles, assessments and their status, catalog, backup and verify."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wbk.i18n import t
from wbk.services.assessment import assessments
from wbk.services.assessment.context import load_context
from wbk.services.assessment.dashboard import take_snapshot
from wbk.services.core import backups, integrity
from wbk.services.people import accounts, people
from wbk.ui import portalrb, session
from wbk.ui.admin.branding import branding_tab
from wbk.ui.admin.people import users_tab
from wbk.ui.downloads import build_and_offer
from wbk.ui.status import status_controls
from wbk.ui.yearly import carry


def _units(ws, actor) -> None:
    units = people.list_units(ws, actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("ui.code"): u.code,
                    t("ui.name"): u.name,
                    t("ui.kind"): u.kind,
                    t("ui.parent"): u.parent_code or "–",
                }
                for u in units
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("add_unit", clear_on_submit=True):
        st.markdown(f"**{t('ui.add_unit')}**")
        c1, c2 = st.columns([1, 2])
        code = c1.text_input(t("ui.code"), key="unit_code")
        name = c2.text_input(t("ui.name"), key="unit_name")
        c3, c4 = st.columns(2)
        parent = c3.selectbox(t("ui.parent"), ["", *[u.code for u in units]])
        kind = c4.selectbox(t("ui.kind"), people.UNIT_KINDS, index=3)
        if st.form_submit_button(t("ui.save"), key="unit_submit"):
            session.run_action(
                lambda: people.add_unit(ws, actor, code, name, parent or None, kind),
                t("ui.unit_added", code=code),
            )
            st.rerun()


def _assessments(ws, actor) -> None:
    units = [u.code for u in people.list_units(ws, actor)]
    items = assessments.list_assessments(ws, actor)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": a.id,
                    t("ui.unit"): a.unit_name,
                    t("ui.year"): a.year,
                    t("ui.catalog"): a.catalog_id,
                    t("ui.status"): t(f"status.{a.status}"),
                    t("ui.deadline"): session.fmt_date(a.deadline),
                }
                for a in items
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("add_assessment"):
        st.markdown(f"**{t('ui.add_assessment')}**")
        c1, c2, c3 = st.columns(3)
        unit = c1.selectbox(t("ui.unit"), units)
        year = c2.number_input(
            t("ui.year"), min_value=2020, max_value=2100, value=date.today().year, step=1
        )
        deadline = c3.date_input(
            t("ui.deadline"), value=None, format="DD/MM/YYYY", help=t("ui.deadline_default")
        )
        source, catalog = carry.source_fields(ws, actor, items)  # start from last year's
        if st.form_submit_button(t("ui.save"), key="assessment_submit") and unit:
            carry.create(ws, actor, unit, int(year), deadline, source, catalog)
            st.rerun()
    aid = session.assessment_id()
    if aid is None:
        return
    ctx = load_context(ws, actor, aid)
    view, ab = ctx.assessment, ctx.abilities
    st.markdown(f"**{session.esc(view.unit_name)} · {view.year}**: {t(f'status.{view.status}')}")
    status_controls(ws, actor, aid, view.status, ab.transitions)
    if ab.manage and st.button(t("ui.take_snapshot"), key="snapshot", icon=":material/timeline:"):
        session.run_action(lambda: take_snapshot(ws, actor, aid), t("ui.snapshot_taken"))
        st.rerun()
    catalog = ctx.catalog
    st.caption(
        t(
            "ui.catalog_in_use",
            id=catalog.id,
            name=catalog.name,
            regulation=catalog.regulation.short,
            items=len(catalog.items),
        )
    )


def _system(ws, actor) -> None:
    if st.button(t("ui.verify"), icon=":material/verified:", key="verify"):
        report = integrity.verify(ws, actor)
        if report.ok:
            st.success(
                t(
                    "ws.verified",
                    files=report.files_checked,
                    events=report.events_checked,
                    problems=0,
                )
            )
        else:
            st.error(
                t(
                    "ws.verified",
                    files=report.files_checked,
                    events=report.events_checked,
                    problems=len(report.problems),
                )
            )
            for kind, detail in report.problems:
                st.write(t(f"ws.problem.{kind}", detail=detail))

    build_and_offer(
        "backup",
        t("ui.backup"),
        lambda: backups.backup_to_exports(ws, actor),
        "application/zip",
        ":material/backup:",
    )


@session.guarded
def main() -> None:
    actor = session.require_actor()
    ws = session.workspace()
    st.title(t("ui.admin_title"))
    session.flash()
    rights = accounts.admin_abilities(actor)
    is_admin = rights.system
    names = [t("ui.tab_assessments"), t("ui.tab_users")]
    if is_admin:
        names += [t("ui.tab_units"), t("ui.tab_system")]
    names += [t("followup.branding.tab")] if rights.manage_people else []  # report letterhead
    tabs = st.tabs(names, key="admin_tabs", on_change="rerun")  # stay on the tab after saving
    with tabs[0]:
        _assessments(ws, actor)
        portalrb.admin_section(ws, actor)  # proposals to PortalRB and its API tokens
    with tabs[1]:
        if rights.manage_people:
            users_tab(ws, actor)
    if is_admin:
        with tabs[2]:
            _units(ws, actor)
        with tabs[3]:
            _system(ws, actor)
    if rights.manage_people:
        with tabs[-1]:
            branding_tab(ws, actor)


main()
