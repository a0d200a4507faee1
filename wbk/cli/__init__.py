"""The ``wbk`` command line: every headless operation, through the same code as the app.

Commands are imported when they run (see ``wbk.cli.lazy``): ``COMMANDS`` names each one,
where it lives and its one-line help, in the order ``wbk --help`` lists them. Keep this
module light: typer, wbk.i18n and the table only.
"""

from __future__ import annotations

from types import ModuleType
from typing import Annotated

import typer

from wbk.cli.lazy import Lazy, lazy_group
from wbk.i18n import LANGUAGES, set_language


# Each command module is imported by a function of its own, when one of its commands runs.
def _score() -> ModuleType:
    from wbk.cli import score

    return score


def _plan() -> ModuleType:
    from wbk.cli import plan

    return plan


def _integrity() -> ModuleType:
    from wbk.cli import integrity_cmds

    return integrity_cmds


def _workspace() -> ModuleType:
    from wbk.cli import workspace_cmds

    return workspace_cmds


def _reports() -> ModuleType:
    from wbk.cli import report_cmds

    return report_cmds


def _surveys() -> ModuleType:
    from wbk.cli import survey_cmds

    return survey_cmds


def _portalrb() -> ModuleType:
    from wbk.cli import api_cmds

    return api_cmds


def _portalrb_view() -> ModuleType:
    from wbk.cli import portalrb_cmds

    return portalrb_cmds


def _portfolio() -> ModuleType:
    from wbk.cli import portfolio_cmds

    return portfolio_cmds


def _remind() -> ModuleType:
    from wbk.cli import remind_cmds

    return remind_cmds


def _users() -> ModuleType:
    from wbk.cli import user_cmds

    return user_cmds


def _catalog() -> ModuleType:
    from wbk.cli import catalog_cmds

    return catalog_cmds


def _blobs() -> ModuleType:
    from wbk.cli import blob_cmds

    return blob_cmds


def _review() -> ModuleType:
    from wbk.cli import review_cmds

    return review_cmds


def _notes() -> ModuleType:
    from wbk.cli import notes_cmds

    return notes_cmds


def _kiosk() -> ModuleType:
    from wbk.cli import kiosk_cmds

    return kiosk_cmds


def _tasks() -> ModuleType:
    from wbk.cli import task_cmds

    return task_cmds


def _branding() -> ModuleType:
    from wbk.cli import branding_cmds

    return branding_cmds


COMMANDS: dict[str, Lazy] = {
    "score": Lazy(
        _score,
        "score",
        "Hitung nilai LKE dan verdict WBK/WBBM dari berkas jawaban atau penilaian tersimpan.",
    ),
    "plan": Lazy(
        _plan,
        "plan_command",
        "Rencana termurah yang memenuhi semua syarat WBK/WBBM, atau nilai tertinggi dalam "
        "anggaran.",
    ),
    "init": Lazy(
        _integrity,
        "init",
        "Siapkan ruang kerja (database, folder data dukung, kunci tanda tangan); aman diulang.",
    ),
    "verify": Lazy(
        _integrity,
        "verify",
        "Periksa berkas data dukung, rantai audit, isi tabel terhadap jejak audit, dan saksi\n"
        "kepala rantai; status 1 bila ada kerusakan.",
    ),
    "backup": Lazy(
        _integrity,
        "backup",
        "Cadangkan database dan data dukung ke satu zip bertanda tangan (Ed25519).",
    ),
    "restore": Lazy(
        _integrity,
        "restore",
        "Pulihkan cadangan ke folder data baru; arsip yang diubah, bertanda tangan lain atau\n"
        "lebih lama dari jejak yang disaksikan ditolak.",
    ),
    "rotate-audit-key": Lazy(
        _integrity,
        "rotate_audit_key",
        "Ganti kunci audit: semua peristiwa diperiksa dengan kunci lama, lalu diautentikasi ulang\n"
        "dengan kunci baru (kunci lama disimpan di sebelahnya).",
    ),
    "witness": Lazy(
        _integrity,
        "witness",
        "Catat kepala rantai audit di luar database (cocok dijalankan harian oleh cron).",
    ),
    "demo": Lazy(
        _workspace,
        "demo",
        "Isi ruang kerja dengan unit contoh dan cetak akun demo.",
    ),
    "snapshot": Lazy(
        _workspace,
        "snapshot",
        "Simpan nilai saat ini untuk grafik tren (cocok dijalankan terjadwal).",
    ),
    "report": Lazy(
        _reports,
        "report",
        "Laporan Penilaian Mandiri Zona Integritas (.docx, atau .pdf dengan --pdf).",
    ),
    "export-xlsx": Lazy(
        _reports,
        "export_xlsx",
        "Ekspor penilaian ke .xlsx berformat LKE dengan rumus nilai yang hidup.",
    ),
    "import-xlsx": Lazy(
        _reports,
        "import_xlsx",
        "Impor jawaban dari buku kerja LKE: pratinjau, lalu terapkan (teraudit).",
    ),
    "binder": Lazy(
        _reports,
        "binder",
        "Berkas data dukung untuk TPN (.zip): folder per pertanyaan, manifest, laporan.",
    ),
    "ikm": Lazy(
        _surveys,
        "ikm_command",
        "Hitung NRR per unsur, indeks, IKM dan mutu pelayanan dari jawaban survei.",
    ),
    "ipak": Lazy(
        _surveys,
        "ipak_command",
        "Hitung IPAK (H.I.a) dari jawaban Survei Persepsi Anti Korupsi: rata-rata per butir,\n"
        "indeks 0–4, nilai konversi dan nilai LKE.",
    ),
    "ipkp": Lazy(
        _surveys,
        "ipkp_command",
        "Hitung IPKP (H.II.a) dari jawaban Survei Persepsi Kualitas Pelayanan: rata-rata per\n"
        "butir, indeks 0–4, nilai konversi dan nilai LKE.",
    ),
    "api": Lazy(
        _portalrb,
        "api",
        "Jalankan API PortalRB (di balik reverse proxy HTTPS organisasi).",
    ),
    "portfolio": Lazy(
        _portfolio,
        "portfolio_command",
        "Portofolio: semua unit di bawah unit induk, nilai mandiri dan TPI, syarat WBK, usulan.",
    ),
    "remind": Lazy(
        _remind,
        "remind",
        "Kirim pengingat e-mail: catatan/tugas lewat tenggat ke pemiliknya, ringkasan mingguan ke\n"
        "koordinator (untuk cron).",
    ),
    "review": Lazy(
        _review,
        "review",
        "Pra-reviu data dukung: baca dokumen, cocokkan dengan dokumen yang diharapkan, verdict\n"
        "per pertanyaan; atau jalankan pekerja antrean (--worker).",
    ),
    "unit": Lazy(_workspace, "unit_app", "Unit kerja"),
    "user": Lazy(_users, "user_app", "Pengguna dan peran"),
    "assessment": Lazy(_workspace, "assessment_app", "Penilaian (satu per unit per tahun)"),
    "answers": Lazy(_workspace, "answers_app", "Jawaban LKE"),
    "evidence": Lazy(_workspace, "evidence_app", "Data dukung"),
    "catalog": Lazy(
        _catalog,
        "catalog_app",
        "Katalog kriteria: periksa terhadap daftar soal PortalRB.",
    ),
    "blobs": Lazy(_blobs, "blobs_app", "Penyimpanan berkas data dukung"),
    "notes": Lazy(_notes, "notes_app", "Catatan TPI: daftar, tulis, jawab, balas, tutup"),
    "kiosk": Lazy(_kiosk, "kiosk_app", "Formulir survei di loket: kunci dan poster"),
    "survey": Lazy(_kiosk, "survey_app", "Hasil survei sebagai jawaban H.I.a / H.II.a"),
    "branding": Lazy(_branding, "branding_app", "Kop laporan unit: logo dan teks kop"),
    "tasks": Lazy(_tasks, "tasks_app", "Tugas rencana aksi dan bobot usaha tim"),
    "proposal": Lazy(_portalrb, "proposal_app", "Usulan unit ke PortalRB (WBK/WBBM)"),
    "token": Lazy(_portalrb, "token_app", "Token API untuk PortalRB"),
    "portalrb": Lazy(
        _portalrb_view, "portalrb_app", "PortalRB: isi yang diambil PortalRB dari wbk"
    ),
}

app = typer.Typer(
    name="wbk",
    cls=lazy_group(COMMANDS),
    help="Pelacak Zona Integritas (LKE ZI PermenPANRB 90/2021): nilai, laporan, data dukung.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help and errors: typer's rich panels cost 0.13 s of every --help
    rich_markup_mode=None,
)


@app.callback()
def main(
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=f"Bahasa keluaran / output language: {', '.join(LANGUAGES)}"),
    ] = None,
) -> None:
    """wbk: Zona Integritas evidence tracker."""
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} not in {', '.join(LANGUAGES)}", param_hint="--lang")
    set_language(lang)  # None: WBK_LANG or Indonesian
