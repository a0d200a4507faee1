"""The counter's survey form on both engines: keys, submissions and their abuse limits, live
results, the export read back by the importers, and IPAK / IPKP carried into the LKE with their
provenance."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from wbk.errors import Conflict, InvalidInput, PermissionDenied
from wbk.services.assessment import assessments
from wbk.services.assessment.evidence_views import open_revision
from wbk.services.surveys import kiosk, kiosk_results, surveys
from wbk.services.surveys import provenance as prov
from wbk.settings import Settings
from wbk.store.tables import AuditEvent, Base
from wbk.store.tables.kiosk import KioskResponse
from wbk.surveys import perception
from wbk.surveys.instruments import default_instrument
from wbk.surveys.responses import read_table

# Tuesday 2026-03-03 09:00 in Jakarta (UTC+7), inside 08:00-16:00 Monday to Friday
OPEN = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
HOURS = {"days": [1, 2, 3, 4, 5], "open": "08:00", "close": "16:00", "tz": "Asia/Jakarta"}
SERVICES = ["Legalisir", "Surat rekomendasi haji"]


def audit(ws, action: str) -> list[tuple[str, dict | None, dict | None]]:
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        ).scalars()
        return [
            (e.actor, json.loads(e.before or "null"), json.loads(e.after or "null")) for e in rows
        ]


def stored(ws) -> int:
    with ws.db.read() as s:
        return s.execute(select(func.count()).select_from(KioskResponse)).scalar_one()


def form(skm=4, spkp=3, spak=4, service="Legalisir", **extra):
    answers = {f"U{i}": skm for i in range(1, 10)}
    answers |= {f"P{i}": spkp for i in range(1, 9)}
    answers |= {f"A{i}": spak for i in range(1, 6)}
    return {"service": service, "answers": answers, **extra}


@pytest.fixture
def key(world):
    ws, koord = world["ws"], world["actors"]["koordinator"]
    created = kiosk.create_key(
        ws, koord, "A", "2026-T1", "Loket PTSP", services=SERVICES, hours=HOURS
    )
    world["key"] = created
    return world


def test_the_migration_builds_the_tables_the_code_uses(ws):
    with ws.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if "kiosk" in repr(d) or "survey_provenance" in repr(d)]
    assert mine == []


def test_a_key_is_stored_as_a_hash_audited_and_only_a_koordinator_or_admin_makes_one(key):
    ws, created = key["ws"], key["key"]
    [(who, _, after)] = audit(ws, "survey.key_create")
    assert who == "koordinator" and after["unit"] == "A" and after["period"] == "2026-T1"
    assert created.secret not in json.dumps(after)
    assert created.view.instruments == ("skm", "spkp", "spak")
    for name in ("agen", "pimpinan", "tpi", "agen_b"):
        with pytest.raises(PermissionDenied):
            kiosk.create_key(ws, key["actors"][name], "A", "2026-T1")
    assert kiosk.create_key(ws, key["actors"]["admin"], "B", "2026-T1").view.unit_code == "B"
    with pytest.raises(InvalidInput):
        kiosk.create_key(
            ws,
            key["actors"]["koordinator"],
            "A",
            "2026-T1",
            hours={"open": "17:00", "close": "08:00"},
        )


def test_one_live_key_per_unit_and_period(key):
    ws, koord = key["ws"], key["actors"]["koordinator"]
    with pytest.raises(Conflict) as refused:
        kiosk.create_key(ws, koord, "A", "2026-T1", "Loket kedua")
    assert "Loket PTSP" in refused.value.message("id")
    assert len([k for k in kiosk.list_keys(ws, koord, "A") if k.active]) == 1
    kiosk.create_key(ws, koord, "A", "2026-T2")  # another period is another key
    kiosk.revoke_key(ws, koord, key["key"].view.id)  # revoked: the period takes a new key
    assert kiosk.create_key(ws, koord, "A", "2026-T1", "Loket baru").view.active


def test_a_response_lands_for_the_keys_unit_and_period_without_personal_data(key):
    ws, secret = key["ws"], key["key"].secret
    done = kiosk.submit(ws, "A", secret, form(age_group="30_39", sex="P"), "browser-1", now=OPEN)
    assert done.stored and not done.outside_hours
    with ws.db.read() as s:
        row = s.get(KioskResponse, done.response_id)
        assert (row.period, row.service, row.sex, row.education) == (
            "2026-T1",
            "Legalisir",
            "P",
            None,
        )
        assert row.session_hash != "browser-1" and len(row.session_hash) == 64
    form_ = kiosk.form_for(ws, "A", secret)
    assert [i.id for i in form_.instruments] == ["skm", "spkp", "spak"]
    assert form_.services == tuple(SERVICES)


def test_a_key_for_unit_a_cannot_add_to_unit_b_and_a_revoked_key_is_refused(key):
    ws, secret = key["ws"], key["key"].secret
    with pytest.raises(kiosk.KeyRefused):
        kiosk.submit(ws, "B", secret, form(), "s", now=OPEN)
    with pytest.raises(kiosk.KeyRefused):
        kiosk.form_for(ws, "B", secret)
    with pytest.raises(kiosk.KeyRefused):
        kiosk.submit(ws, "A", secret + "x", form(), "s", now=OPEN)
    with pytest.raises(PermissionDenied):
        kiosk.revoke_key(ws, key["actors"]["agen"], key["key"].view.id)
    kiosk.revoke_key(ws, key["actors"]["koordinator"], key["key"].view.id)
    with pytest.raises(kiosk.KeyRefused):
        kiosk.submit(ws, "A", secret, form(), "s", now=OPEN)
    with pytest.raises(kiosk.KeyRefused):
        kiosk.form_for(ws, "A", secret)
    assert stored(ws) == 0
    [(who, before, after)] = audit(ws, "survey.key_revoke")
    assert who == "koordinator" and not before["revoked"] and after["revoked"]
    assert kiosk.list_keys(ws, key["actors"]["koordinator"], "A")[0].active is False


def test_the_31st_submission_in_a_minute_is_refused_per_key_and_per_session(key):
    ws, secret = key["ws"], key["key"].secret
    for i in range(30):
        kiosk.submit(ws, "A", secret, form(), f"tablet-{i}", now=OPEN + timedelta(seconds=i))
    with pytest.raises(kiosk.RateLimited) as refused:
        kiosk.submit(ws, "A", secret, form(), "tablet-new", now=OPEN + timedelta(seconds=40))
    assert "30" in refused.value.message("id")
    assert stored(ws) == 30
    # a minute after the first, the window has room again
    assert kiosk.submit(ws, "A", secret, form(), "x", now=OPEN + timedelta(seconds=61)).stored
    # one browser session is limited on its own, across keys
    other = kiosk.create_key(ws, key["actors"]["koordinator"], "A", "2026-T2").secret
    later = OPEN + timedelta(minutes=5)
    for _ in range(15):
        kiosk.submit(ws, "A", secret, form(), "one-browser", now=later)
        kiosk.submit(ws, "A", other, form(), "one-browser", now=later)
    with pytest.raises(kiosk.RateLimited):
        kiosk.submit(ws, "A", other, form(), "one-browser", now=later)


def test_a_filled_honeypot_is_thanked_but_not_stored(key):
    ws, secret = key["ws"], key["key"].secret
    done = kiosk.submit(ws, "A", secret, form(website="http://spam.example"), "bot", now=OPEN)
    assert not done.stored and done.response_id is None
    assert stored(ws) == 0


def test_bot_hits_never_use_up_the_allowance_of_real_visitors(key):
    ws, secret = key["ws"], key["key"].secret
    bot = form(website="http://spam.example")
    for i in range(kiosk.RATE_PER_MINUTE):
        at = OPEN + timedelta(seconds=i)
        assert not kiosk.submit(ws, "A", secret, bot, "bot", now=at).stored
    # the key's and the bot's own session allowance are both untouched
    assert kiosk.submit(ws, "A", secret, form(), "tablet", now=OPEN + timedelta(seconds=31)).stored
    assert kiosk.submit(ws, "A", secret, form(), "bot", now=OPEN + timedelta(seconds=32)).stored
    for i in range(kiosk.RATE_PER_MINUTE - 2):
        kiosk.submit(ws, "A", secret, form(), f"t-{i}", now=OPEN + timedelta(seconds=33))
    with pytest.raises(kiosk.RateLimited):  # people are still limited: 30 in the minute
        kiosk.submit(ws, "A", secret, form(), "late", now=OPEN + timedelta(seconds=34))
    assert stored(ws) == kiosk.RATE_PER_MINUTE


def refused(call) -> str:
    """The message key of the InvalidInput ``call`` raises."""
    with pytest.raises(InvalidInput) as exc:
        call()
    return exc.value.key


def test_too_long_or_wrongly_typed_input_is_refused_alike_on_both_engines(world):
    ws, koord = world["ws"], world["actors"]["koordinator"]
    limit = kiosk.SERVICE_MAX
    assert limit == 200  # the column's length
    secret = kiosk.create_key(ws, koord, "A", "2026-T1").secret  # any service typed in
    long_name = "Layanan " + "x" * 4992

    def send(**changes):
        return lambda: kiosk.submit(ws, "A", secret, form() | changes, "s", now=OPEN)

    assert refused(send(service=long_name)) == "kiosk.service_too_long"
    with pytest.raises(InvalidInput) as exc:
        send(service=long_name)()
    assert "5000" in exc.value.message("id") and "200" in exc.value.message("id")
    assert refused(send(answers=[4, 4, 4])) == "kiosk.bad_answers"
    assert refused(send(service=["Legalisir"])) == "kiosk.bad_service"
    assert refused(send(answers=form()["answers"] | {"U1": True})) == "kiosk.bad_answer"
    assert refused(send(answers=form()["answers"] | {"U1": [4]})) == "kiosk.bad_answer"
    assert refused(send(sex=["P"])) == "kiosk.bad_choice"
    assert refused(lambda: kiosk.submit(ws, "A", secret, [form()], "s", now=OPEN)) == (
        "kiosk.bad_form"
    )
    assert stored(ws) == 0
    # the longest name the column holds is kept whole, spaces tidied
    exact = "Layanan  " + "y" * (limit - 8)
    done = kiosk.submit(ws, "A", secret, form(service=exact), "s", now=OPEN)
    with ws.db.read() as s:
        assert s.get(KioskResponse, done.response_id).service == " ".join(exact.split())

    def make(**kw):
        return lambda: kiosk.create_key(ws, koord, "A", "2026-T2", **kw)

    assert refused(make(services=["Legalisir", long_name])) == "kiosk.service_too_long"
    assert refused(make(services="Legalisir")) == "kiosk.bad_services"
    assert refused(make(label="L" * (kiosk.LABEL_MAX + 1))) == "kiosk.label_too_long"
    assert refused(make(hours=[1, 2])) == "kiosk.bad_hours_form"
    assert refused(make(hours={"days": "12"})) == "kiosk.bad_days"
    assert refused(make(hours={"days": ["x"]})) == "kiosk.bad_days"
    assert len(kiosk.list_keys(ws, koord, "A")) == 1
    assert kiosk.create_key(ws, koord, "A", "2026-T2", hours={"days": ["1", 2]}).view.hours[
        "days"
    ] == [1, 2]


def test_outside_service_hours_is_flagged_not_dropped(key):
    ws, secret = key["ws"], key["key"].secret
    evening = datetime(2026, 3, 3, 12, 30, tzinfo=UTC)  # 19:30 in Jakarta
    sunday = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)
    assert kiosk.submit(ws, "A", secret, form(), "a", now=evening).outside_hours
    assert kiosk.submit(ws, "A", secret, form(), "b", now=sunday).outside_hours
    assert not kiosk.submit(ws, "A", secret, form(), "c", now=OPEN).outside_hours
    live = kiosk_results.live_results(ws, key["actors"]["pimpinan"], "A")
    assert (live.respondents, live.outside_hours) == (3, 2)


def test_bad_forms_are_refused_with_a_reason(key):
    ws, secret = key["ws"], key["key"].secret
    with pytest.raises(InvalidInput):
        kiosk.submit(ws, "A", secret, form(service="Unknown"), "s", now=OPEN)
    with pytest.raises(InvalidInput):
        kiosk.submit(ws, "A", secret, form(spkp=5), "s", now=OPEN)
    incomplete = form()
    del incomplete["answers"]["U3"]
    with pytest.raises(InvalidInput) as exc:
        kiosk.submit(ws, "A", secret, incomplete, "s", now=OPEN)
    assert "U3" in exc.value.message("id")
    with pytest.raises(InvalidInput):
        kiosk.submit(ws, "A", secret, form(sex="X"), "s", now=OPEN)
    assert stored(ws) == 0


def _fill(ws, secret):
    """Hand-checkable answers: Legalisir 2 x (SPKP 4, SPAK 4), haji 1 x (SPKP 2, SPAK 3 with A5
    blank)."""
    kiosk.submit(ws, "A", secret, form(skm=4, spkp=4, spak=4), "a", now=OPEN)
    kiosk.submit(ws, "A", secret, form(skm=3, spkp=4, spak=4), "b", now=OPEN)
    haji = form(skm=2, spkp=2, spak=3, service=SERVICES[1])
    haji["answers"]["A5"] = None
    kiosk.submit(ws, "A", secret, haji, "c", now=OPEN)


def test_live_results_per_service_and_period_are_exact(key):
    ws, secret = key["ws"], key["key"].secret
    _fill(ws, secret)
    live = kiosk_results.live_results(ws, key["actors"]["pimpinan"], "A", "2026-T1")
    assert live.respondents == 3 and live.periods == ["2026-T1"]
    ipkp = live.perception["spkp"]
    assert ipkp.overall.index == Fraction(10, 3)  # every item mean (4 + 4 + 2) / 3
    assert ipkp.by_service["Legalisir"].index == 4
    assert ipkp.by_service[SERVICES[1]].index == 2
    ipak = live.perception["spak"]
    # A1..A4 mean 11/3, A5 mean 4 (blank left out): (4 x 11/3 + 4) / 5
    assert ipak.overall.index == (4 * Fraction(11, 3) + 4) / 5
    assert ipak.by_period["2026-T1"].index == ipak.overall.index
    assert live.ikm.overall.index == 3 and live.ikm.overall.ikm == 75
    assert live.ikm.by_service["Legalisir"].ikm == Fraction(175, 2)


def test_the_export_is_read_back_by_the_importers(key):
    ws, secret = key["ws"], key["key"].secret
    _fill(ws, secret)
    kiosk.submit(ws, "A", secret, form(service="Legalisir") | {"sex": "L"}, "d", now=OPEN)
    reader = key["actors"]["pimpinan"]
    live = kiosk_results.live_results(ws, reader, "A")
    for fmt, export in (("csv", kiosk_results.export_csv), ("xlsx", kiosk_results.export_xlsx)):
        data = export(ws, reader, "A")
        frame = read_table(data, f"jawaban.{fmt}")
        assert list(frame.columns) == kiosk_results.columns()
        ikm = surveys.compute_ikm(
            data, f"jawaban.{fmt}", service_column="layanan", date_column="waktu"
        )
        assert ikm.overall.ikm == live.ikm.overall.ikm
        assert set(ikm.by_period) == {"2026-T1"}
        for name in ("spkp", "spak"):
            only = export(ws, reader, "A", only=name)
            again = perception.compute_file(
                only, f"x.{fmt}", default_instrument(name), service_column="layanan", id_column="id"
            )
            assert again.overall.index == live.perception[name].overall.index
            assert again.by_service.keys() == live.perception[name].by_service.keys()


def test_text_in_the_export_never_becomes_a_formula(world):
    ws, koord = world["ws"], world["actors"]["koordinator"]
    secret = kiosk.create_key(ws, koord, "A", "2026-T2", services=["=HYPERLINK(1)"]).secret
    kiosk.submit(ws, "A", secret, form(service="=HYPERLINK(1)"), "s", now=OPEN)
    assert b"'=HYPERLINK" in kiosk_results.export_csv(ws, koord, "A")


def test_using_kiosk_ipkp_writes_h_ii_a_with_provenance_evidence_and_audit(key):
    ws, secret, koord = key["ws"], key["key"].secret, key["actors"]["koordinator"]
    _fill(ws, secret)
    view = prov.use_kiosk(ws, koord, key["a"], "ipkp", "2026-T1", expected_version=0)
    answer = assessments.answers_of(ws, koord, key["a"])["H.II.a"]
    assert Fraction(answer.value) == Fraction("3.3333") and answer.updated_by == "koordinator"
    assert (view.code, view.period, view.respondents, view.source) == (
        "H.II.a",
        "2026-T1",
        3,
        "kiosk",
    )
    expected = hashlib.sha256(
        kiosk_results.export_csv(ws, koord, "A", "2026-T1", "spkp")
    ).hexdigest()
    assert view.source_hash == expected and view.current
    _rev, blob = open_revision(ws, koord, view.evidence_id)
    assert blob.read().startswith(b"%PDF")
    [(who, _, after)] = audit(ws, "survey.provenance")
    assert who == "koordinator" and after["code"] == "H.II.a" and after["source_hash"] == expected
    assert [a for a in audit(ws, "answer.set") if a[2]["value"] == answer.value]
    shown = prov.provenance_for(ws, key["actors"]["pimpinan"], key["a"])
    assert shown["H.II.a"].current and "2026-T1" in shown["H.II.a"].describe("id")
    # the optimistic lock: a writer who saw no value yet is refused now
    with pytest.raises(Conflict):
        prov.use_kiosk(ws, koord, key["a"], "ipkp", "2026-T1", expected_version=0)
    # typing another value by hand leaves the provenance marked as no longer current
    assessments.set_answer(ws, koord, key["a"], "H.II.a", "3.9")
    assert not prov.provenance_for(ws, koord, key["a"])["H.II.a"].current


def test_using_an_imported_file_for_ipak_keeps_the_files_hash(key):
    ws, koord = key["ws"], key["actors"]["koordinator"]
    data = b"id;A1;A2;A3;A4;A5\n1;4;4;4;4;4\n2;3;3;3;3;3\n3;4;3;4;3;\n"
    view = prov.use_file(ws, koord, key["a"], "ipak", data, "spak-t1.csv", "2026-T1")
    assert view.code == "H.I.a" and view.respondents == 3 and view.source == "file"
    assert (
        view.source_hash == hashlib.sha256(data).hexdigest() and view.source_name == "spak-t1.csv"
    )
    answer = assessments.answers_of(ws, koord, key["a"])["H.I.a"]
    assert Fraction(answer.value) == Fraction(7, 2)  # (11/3 + 10/3 + 11/3 + 10/3 + 7/2) / 5
    for name in ("agen", "tpi", "pimpinan", "agen_b"):
        with pytest.raises(PermissionDenied):
            prov.use_file(ws, key["actors"][name], key["a"], "ipak", data, "x.csv", "2026-T1")
    assert len(audit(ws, "survey.provenance")) == 1


def test_nothing_to_use_is_a_clear_message(key):
    with pytest.raises(InvalidInput):
        prov.use_kiosk(key["ws"], key["actors"]["koordinator"], key["a"], "ipak", "2026-T4")


def test_a_shorter_questionnaire_from_a_file_keeps_its_columns_in_the_provenance(key):
    ws, koord = key["ws"], key["actors"]["koordinator"]
    data = b"q1,q2\n4,3\n4,4\n3,3\n"
    view = prov.use_file(ws, koord, key["a"], "ipkp", data, "ipkp.csv", "2026", items=["q1", "q2"])
    assert view.instrument == "spkp@1.0+2q" and view.respondents == 3
    assert assessments.answers_of(ws, koord, key["a"])["H.II.a"].value == "3.5000"


def test_the_word_report_says_where_the_survey_value_came_from(key):
    import docx

    from wbk.services.assessment import reports

    ws, koord = key["ws"], key["actors"]["koordinator"]
    data = b"A1,A2,A3,A4,A5\n4,4,4,4,4\n3,4,4,4,4\n"
    prov.use_file(ws, koord, key["a"], "ipak", data, "spak.csv", "2026-S1")
    document = docx.Document(io.BytesIO(reports.word_report(ws, koord, key["a"])))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Asal nilai survei" in text
    assert "H.I.a = 3.9000: Survei periode 2026-S1, 2 responden, dari berkas spak.csv" in text


def test_the_form_link_uses_the_public_address_and_is_refused_without_one(monkeypatch):
    monkeypatch.delenv("WBK_APP_URL", raising=False)
    with pytest.raises(InvalidInput) as refused:  # never a printed localhost link
        kiosk.form_url("KK 1", "k-y", settings=Settings())
    assert "WBK_APP_URL" in refused.value.message("id")
    monkeypatch.setenv("WBK_APP_URL", "https://zi.example.go.id/wbk/")
    public = Settings()  # read from the environment, as at the start of a process
    assert (
        kiosk.form_url("A", "s", settings=public) == "https://zi.example.go.id/wbk/survei?u=A&k=s"
    )
    png, pdf = kiosk.poster("Kankemenag A", kiosk.form_url("A", "s", settings=public))
    assert png.startswith(b"\x89PNG") and pdf.startswith(b"%PDF")
