"""The ``wbk`` command line: every headless operation, through the same code as the app.

Commands are imported when they run (see ``wbk.cli.lazy``): ``COMMANDS`` names each one,
where it lives and its one-line help, in the order ``wbk --help`` lists them. Keep this
module light: typer, wbk.i18n and the table only.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wbk.cli.lazy import Lazy, lazy_group
from wbk.i18n import LANGUAGES, set_language

COMMANDS: dict[str, Lazy] = {
    "score": Lazy(
        "wbk.cli.score:score",
        "Hitung nilai LKE dan verdict WBK/WBBM dari berkas jawaban atau penilaian tersimpan.",
    ),
    "plan": Lazy(
        "wbk.cli.plan:plan_command",
        "Rencana termurah yang memenuhi semua syarat WBK/WBBM, atau nilai tertinggi dalam "
        "anggaran.",
    ),
    "init": Lazy(
        "wbk.cli.integrity_cmds:init",
        "Siapkan ruang kerja (database, folder data dukung, kunci tanda tangan); aman diulang.",
    ),
    "verify": Lazy(
        "wbk.cli.integrity_cmds:verify",
        "Periksa berkas data dukung, rantai audit, isi tabel terhadap jejak audit, dan saksi\n"
        "kepala rantai; status 1 bila ada kerusakan.",
    ),
    "backup": Lazy(
        "wbk.cli.integrity_cmds:backup",
        "Cadangkan database dan data dukung ke satu zip bertanda tangan (Ed25519).",
    ),
    "restore": Lazy(
        "wbk.cli.integrity_cmds:restore",
        "Pulihkan cadangan ke folder data baru; arsip yang diubah atau bertanda tangan lain\n"
        "ditolak.",
    ),
    "witness": Lazy(
        "wbk.cli.integrity_cmds:witness",
        "Catat kepala rantai audit di luar database (cocok dijalankan harian oleh cron).",
    ),
    "demo": Lazy(
        "wbk.cli.workspace_cmds:demo",
        "Isi ruang kerja dengan unit contoh dan cetak akun demo.",
    ),
    "snapshot": Lazy(
        "wbk.cli.workspace_cmds:snapshot",
        "Simpan nilai saat ini untuk grafik tren (cocok dijalankan terjadwal).",
    ),
    "report": Lazy(
        "wbk.cli.report_cmds:report",
        "Laporan Penilaian Mandiri Zona Integritas (.docx, atau .pdf dengan --pdf).",
    ),
    "export-xlsx": Lazy(
        "wbk.cli.report_cmds:export_xlsx",
        "Ekspor penilaian ke .xlsx berformat LKE dengan rumus nilai yang hidup.",
    ),
    "import-xlsx": Lazy(
        "wbk.cli.report_cmds:import_xlsx",
        "Impor jawaban dari buku kerja LKE: pratinjau, lalu terapkan (teraudit).",
    ),
    "binder": Lazy(
        "wbk.cli.report_cmds:binder",
        "Berkas data dukung untuk TPN (.zip): folder per pertanyaan, manifest, laporan.",
    ),
    "ikm": Lazy(
        "wbk.cli.survey_cmds:ikm_command",
        "Hitung NRR per unsur, indeks, IKM dan mutu pelayanan dari jawaban survei.",
    ),
    "ipak": Lazy(
        "wbk.cli.survey_cmds:ipak_command",
        "Hitung IPAK (H.I.a) dari jawaban Survei Persepsi Anti Korupsi: rata-rata per butir,\n"
        "indeks 0–4, nilai konversi dan nilai LKE.",
    ),
    "ipkp": Lazy(
        "wbk.cli.survey_cmds:ipkp_command",
        "Hitung IPKP (H.II.a) dari jawaban Survei Persepsi Kualitas Pelayanan: rata-rata per\n"
        "butir, indeks 0–4, nilai konversi dan nilai LKE.",
    ),
    "api": Lazy(
        "wbk.cli.api_cmds:api",
        "Jalankan API PortalRB (di balik reverse proxy HTTPS organisasi).",
    ),
    "portfolio": Lazy(
        "wbk.cli.portfolio_cmds:portfolio_command",
        "Portofolio: semua unit di bawah unit induk, nilai mandiri dan TPI, syarat WBK, usulan.",
    ),
    "remind": Lazy(
        "wbk.cli.remind_cmds:remind",
        "Kirim pengingat e-mail: catatan/tugas lewat tenggat ke pemiliknya, ringkasan mingguan ke\n"
        "koordinator (untuk cron).",
    ),
    "unit": Lazy("wbk.cli.workspace_cmds:unit_app", "Unit kerja"),
    "user": Lazy("wbk.cli.user_cmds:user_app", "Pengguna dan peran"),
    "assessment": Lazy(
        "wbk.cli.workspace_cmds:assessment_app", "Penilaian (satu per unit per tahun)"
    ),
    "answers": Lazy("wbk.cli.workspace_cmds:answers_app", "Jawaban LKE"),
    "evidence": Lazy("wbk.cli.workspace_cmds:evidence_app", "Data dukung"),
    "catalog": Lazy(
        "wbk.cli.catalog_cmds:catalog_app",
        "Katalog kriteria: periksa terhadap daftar soal PortalRB.",
    ),
    "blobs": Lazy("wbk.cli.blob_cmds:blobs_app", "Penyimpanan berkas data dukung"),
    "proposal": Lazy("wbk.cli.api_cmds:proposal_app", "Usulan unit ke PortalRB (WBK/WBBM)"),
    "token": Lazy("wbk.cli.api_cmds:token_app", "Token API untuk PortalRB"),
}

app = typer.Typer(
    name="wbk",
    cls=lazy_group(COMMANDS),
    help="Pelacak Zona Integritas (LKE ZI PermenPANRB 90/2021): nilai, laporan, data dukung.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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
