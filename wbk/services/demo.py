"""The demo workspace: a fictional Kankemenag just below WBK, with a story to tell."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from wbk.formats.simple_docs import simple_pdf, simple_png
from wbk.scoring import AnswerRow, parse_answers, score
from wbk.services.assessment import answer_import, assessments, evidence, notes
from wbk.services.assessment.dashboard import take_snapshot
from wbk.services.core import audit
from wbk.services.core.actor import Actor, operator
from wbk.services.core.workspace import Workspace
from wbk.services.people import auth, people
from wbk.services.surveys import surveys
from wbk.store.tables import ScoreSnapshot

DEMO_PASSWORD = "contoh-wbk-2026"
DEMO_USERS = [
    # username, display name, role, unit, areas
    ("admin", "Administrator Sistem", "admin", None, None),
    ("koordinator", "Siti Rahmawati (Koordinator Tim ZI)", "koordinator", "KK-CONTOH", None),
    ("agen", "Budi Santoso (Pokja MP & TT)", "agen", "KK-CONTOH", ["MP", "TT"]),
    ("pimpinan", "H. Ahmad Fauzi (Kepala Kantor)", "pimpinan", "KK-CONTOH", None),
    ("tpi", "Dewi Lestari (Inspektorat)", "tpi", "KW-CONTOH", None),
]

# Pemenuhan: the index of the chosen option per question, in LKE order (0 = best);
# "-" leaves a question unanswered. Reform is written out below.
PEMENUHAN = (  # noqa: SIM905 - a readable grid, one line per area
    "0 0 0 1 0 0 1 1 0 0 0 1 "  # MP
    "1 0 1 0 0 0 1 0 1 "  # TT
    "0 0 1 0 0 1 0 0 1 1 0 - 0 1 1 0 0 0 "  # SDM
    "0 0 1 0 0 0 0 0 0 0 1 "  # AK
    "0 1 0 1 0 0 0 0 0 1 0 - - 0 1 1 1 - "  # PW
    "0 0 1 0 1 0 1 1 0 1 0 0 0 1 0 1 0 0 1"  # PP
).split()
REFORM = {
    "R.MP.i.a#perubahan": "9",
    "R.MP.i.a#agen": "12",
    "R.MP.ii.a": "C",
    "R.MP.iii.a": "B",
    "R.TT.i.a": "C",
    "R.TT.ii.a": "B",
    "R.TT.ii.b": "B",
    "R.TT.iii.a": "C",
    "R.SDM.i.a": "B",
    "R.SDM.ii.a": "C",
    "R.SDM.iii.a#sebelumnya": "8",
    "R.SDM.iii.a#tahun_ini": "5",
    "R.SDM.iii.a#disanksi": "5",
    "R.AK.i.a#tercapai": "7",
    "R.AK.i.a#sasaran": "10",
    "R.AK.ii.a": "B",
    "R.AK.iii.a": "B",
    "R.PW.i.a": "C",
    "R.PW.ii.a#harus": "24",
    "R.PW.ii.a#diproses": "3",
    "R.PW.ii.a#selesai": "19",
    "R.PW.iii.a#wajib_kepala": "1",
    "R.PW.iii.a#wajib_pejabat": "4",
    "R.PW.iii.a#wajib_lainnya": "0",
    "R.PW.iii.a#melapor": "5",
    "R.PP.i.a": "B",
    "R.PP.ii.a": "B",
    "H.I.a": "3.62",
    "H.I.b": "B",
    "H.II.a": "3.35",
}
NARRATIVES = {
    "P.MP.i.a": "Tim Kerja ZI ditetapkan dengan SK Kepala Kantor Nomor 12 Tahun {year}.",
    "P.MP.ii.a": "Rencana kerja pembangunan ZI {year} disahkan pada rapat pleno Januari.",
    "P.PP.iv.a": "SKM dilaksanakan tiap triwulan di PTSP; laporan triwulan I dan II terlampir.",
}


def known_password_accounts(ws: Workspace) -> list[str]:
    """Demo accounts that still have the published demo password (shown as a banner)."""

    return auth.accounts_with_password(ws, [u[0] for u in DEMO_USERS], DEMO_PASSWORD)


def is_empty(ws: Workspace) -> bool:
    return people.count_users(ws) == 0


def create_demo(ws: Workspace, year: int | None = None, today: date | None = None) -> int:
    """Create the demo units, users and assessment; returns the assessment id."""
    today = today or date.today()
    year = year or today.year
    op = operator("demo")
    people.add_unit(ws, op, "KW-CONTOH", "Kanwil Kementerian Agama Provinsi Contoh", kind="kanwil")
    people.add_unit(
        ws,
        op,
        "KK-CONTOH",
        "Kantor Kementerian Agama Kota Contoh",
        parent_code="KW-CONTOH",
        kind="kankemenag",
    )
    for username, name, role, unit, areas in DEMO_USERS:
        people.add_user(ws, op, username, name, DEMO_PASSWORD, role, unit, areas)
    deadline = assessments.default_deadline(today.year)
    if deadline < today:  # the next proposal window
        deadline = assessments.default_deadline(today.year + 1)
    a = assessments.create_assessment(ws, op, "KK-CONTOH", year, deadline=deadline).id
    catalog = ws.catalog("lke-zi-2021")

    rows: list[AnswerRow] = []
    p_code, r_code = catalog.part_by_key("pemenuhan").code, catalog.part_by_key("reform").code
    pemenuhan = catalog.codes_in(p_code)
    for code, pick in zip(pemenuhan, PEMENUHAN, strict=True):
        if pick != "-":
            option = catalog.items[code].scale.options[int(pick)].key
            rows.append(
                AnswerRow(code, option, note=NARRATIVES.get(code, "").format(year=year) or None)
            )
    rows += [AnswerRow(code, value) for code, value in REFORM.items()]
    answer_import.import_answers(ws, op, a, rows)

    _demo_evidence(ws, op, a, year)
    tpi = people.actor_for(ws, "tpi")
    notes.add_note(
        ws,
        tpi,
        a,
        "P.MP.i.b",
        "Mekanisme pemilihan anggota tim belum terdokumentasi; lampirkan notulen.",
        severity="tinggi",
        owner="agen",
        due_date=today + timedelta(days=21),
    )
    notes.add_note(
        ws,
        tpi,
        a,
        "R.PW.i.a",
        "Pengendalian berjenjang belum terlihat dampaknya pada kinerja unit.",
        severity="sedang",
        owner="koordinator",
        due_date=today + timedelta(days=45),
    )
    tpi_rows = [
        ("P.MP.i.a", "Ya"),
        ("P.MP.i.b", "C"),
        ("P.MP.iii.b", "C"),
        ("P.MP.iv.d", "C"),
        ("P.TT.i.b", "C"),
        ("P.TT.ii.c", "B"),
        ("P.SDM.iii.c", "C"),
        ("P.PW.ii.b", "C"),
        ("P.PW.v.c", "C"),
        ("P.PP.ii.d", "C"),
        ("P.PP.ii.f", "C"),
        ("R.MP.ii.a", "D"),
        ("R.PW.i.a", "D"),
        ("R.PP.i.a", "C"),
        ("H.I.b", "C"),
    ]
    for code, value in tpi_rows:
        assessments.set_answer(ws, tpi, a, code, value, tier="tpi")

    _demo_surveys(ws, op, a, year)
    now = datetime.now(UTC)
    for months_ago, drop in ((3, (p_code, 30)), (2, (p_code, 16)), (1, (r_code, 2))):
        _snapshot_as_if(ws, op, a, rows, months_ago, drop, now)
    take_snapshot(ws, op, a)
    return a


def _snapshot_as_if(
    ws: Workspace,
    op: Actor,
    a: int,
    rows: list[AnswerRow],
    months_ago: int,
    drop: tuple[str, int],
    now: datetime,
) -> None:
    """Record an earlier, lower score: as if the last ``n`` answers of a part were missing."""

    part, n = drop
    catalog = ws.catalog("lke-zi-2021")
    in_part = (r.code.split("#")[0] for r in rows if catalog.part_of(r.code) == part)
    bases = list(dict.fromkeys(in_part))
    dropped = set(bases[-n:])
    keep = [r for r in rows if r.code.split("#")[0] not in dropped]
    card = score(catalog, parse_answers(catalog, keep).values)
    with ws.db.write() as s:
        s.add(
            ScoreSnapshot(
                assessment_id=a,
                tier="self",
                taken_at=now - timedelta(days=30 * months_ago),
                total=float(card.total),
                pengungkit=float(card.components["pengungkit"].score),
                hasil=float(card.components["hasil"].score),
                areas={k: float(v.score) for k, v in card.areas.items()},
                wbk_passed=card.verdicts[catalog.lower_predicate].passed,
                taken_by=op.name,
            )
        )

        audit.record(
            s,
            op,
            "snapshot.import",
            "assessment",
            a,
            None,
            {"total": float(card.total), "months_ago": months_ago},
        )


def _demo_evidence(ws: Workspace, op: Actor, a: int, year: int) -> None:
    docs = [
        (
            ["P.MP.i.a"],
            "SK Tim Kerja Zona Integritas",
            date(year, 1, 8),
            None,
            ["Keputusan Kepala Kantor Nomor 12 Tahun " + str(year), "Tentang Tim Kerja ZI"],
        ),
        (
            ["P.MP.ii.a", "P.MP.ii.b"],
            "Rencana Kerja Pembangunan ZI",
            date(year, 1, 20),
            None,
            ["Rencana aksi enam area perubahan", "Target prioritas dan jadwal"],
        ),
        (["P.MP.iv.a"], "Dokumentasi Apel Pagi Pimpinan", date(year, 2, 3), None, None),
        (
            ["P.TT.i.a", "P.TT.i.b"],
            "Peta Proses Bisnis dan SOP Layanan PTSP",
            date(year - 1, 11, 4),
            None,
            ["Peta proses bisnis 2025", "SOP layanan PTSP"],
        ),
        (
            ["P.PW.i.a"],
            "Pakta Integritas Pegawai",
            date(year, 1, 10),
            date(year, 3, 31),
            ["Pakta integritas seluruh pegawai"],
        ),
        (
            ["P.PP.iv.a", "P.PP.iv.b"],
            "Laporan SKM Triwulan I",
            date(year, 4, 10),
            None,
            ["IKM 87,12 (B, Baik)", "Responden 412"],
        ),
    ]
    for codes, title, doc_date, valid_until, lines in docs:
        if lines is None:
            data, name = simple_png(), f"{title}.png"
        else:
            data, name = simple_pdf(title, lines), f"{title}.pdf"
        evidence.add_file(
            ws,
            op,
            a,
            codes,
            io.BytesIO(data),
            name,
            title=title,
            document_date=doc_date,
            valid_until=valid_until,
        )
    evidence.add_link(
        ws, op, a, ["P.TT.iii.a"], "https://kemenag.go.id/ppid", "Laman PPID Kementerian Agama"
    )


def _demo_surveys(ws: Workspace, op: Actor, a: int, year: int) -> None:
    """Two quarters of the PTSP satisfaction survey, improving."""
    import numpy as np

    rng = np.random.default_rng(year)
    services = ["Legalisir Ijazah", "Rekomendasi Haji", "Pendaftaran Nikah", "Izin Madrasah"]
    for quarter, weights in ((1, [0.02, 0.10, 0.48, 0.40]), (2, [0.01, 0.07, 0.45, 0.47])):
        n = 380 + 25 * quarter
        answers = rng.choice([1, 2, 3, 4], size=(n, 9), p=weights)
        picked = rng.choice(services, size=n)
        lines = ["U1;U2;U3;U4;U5;U6;U7;U8;U9;Jenis Layanan"]
        lines += [
            ";".join(map(str, row)) + f";{svc}" for row, svc in zip(answers, picked, strict=True)
        ]
        data = ("\n".join(lines) + "\n").encode()
        computation = surveys.compute_ikm(data, "skm.csv", service_column="Jenis Layanan")
        surveys.save_ikm(ws, op, a, computation, f"{year}-T{quarter}")
