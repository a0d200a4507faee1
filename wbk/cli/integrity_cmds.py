"""Workspace integrity commands: init, verify (and repair), witness, backup, restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import operator_actor as _operator
from wbk.cli.common import user_errors
from wbk.i18n import t

# Each command imports its services in its body (see wbk.cli.lazy).


@user_errors
def init() -> None:
    """Siapkan ruang kerja (database, folder data dukung, kunci tanda tangan); aman diulang."""
    from wbk.services.core import backups, integrity, keys
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    adopted = integrity.adopt(ws, _operator())
    if adopted:
        typer.echo(t("ws.audit_adopted", count=adopted))
    cleaned = integrity.clean_staging(ws)
    key = backups.public_key(ws)
    typer.echo(
        t(
            "ws.ready",
            data_dir=str(Path(ws.settings.data_dir).resolve()),
            db=ws.db.engine.url.render_as_string(hide_password=True),
        )
    )
    if cleaned:
        typer.echo(t("ws.staging_cleaned", count=cleaned))
    typer.echo(t("ws.backup_key", public=keys.public_text(key), fingerprint=keys.fingerprint(key)))


@user_errors
def verify(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Pindahkan berkas yatim ke karantina (tidak dihapus) dan hapus sisa unggahan "
            "yang terputus",
        ),
    ] = False,
) -> None:
    """Periksa berkas data dukung, rantai audit, isi tabel terhadap jejak audit, dan saksi
    kepala rantai; status 1 bila ada kerusakan."""
    from wbk.services.core import integrity
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    actor = _operator()
    report = integrity.verify(ws, actor)
    for kind, detail in report.problems:
        typer.echo(t(f"ws.problem.{kind}", detail=detail))
    if repair and report.orphans:
        moved = integrity.repair(ws, actor)
        typer.echo(t("ws.repaired", count=len(moved)))
    elif report.orphans:
        for name in report.orphans:
            typer.echo(t("ws.problem.orphan", detail=name))
        typer.echo(t("ws.orphans_hint", count=len(report.orphans)))
    if repair and report.leftovers:
        removed = integrity.remove_leftovers(ws, actor)
        size = sum(n for _, n in removed)
        typer.echo(t("ws.leftovers_removed", count=len(removed), mb=f"{size / 1e6:.1f}"))
    elif report.leftovers:
        for name, size in report.leftovers:
            typer.echo(t("ws.problem.leftover", detail=f"{name} ({size / 1e6:.1f} MB)"))
        typer.echo(t("ws.leftovers_hint", count=len(report.leftovers)))
    typer.echo(
        t(
            "ws.verified",
            files=report.files_checked,
            events=report.events_checked,
            problems=len(report.problems),
        )
    )
    if not report.ok:
        raise typer.Exit(1)


@user_errors
def witness() -> None:
    """Catat kepala rantai audit di luar database (cocok dijalankan harian oleh cron)."""
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    record = ws.witness("manual")
    typer.echo(t("ws.witnessed", seq=record["seq"] if record else 0))


@user_errors
def rotate_audit_key() -> None:
    """Ganti kunci audit: semua peristiwa diperiksa dengan kunci lama, lalu diautentikasi ulang
    dengan kunci baru (kunci lama disimpan di sebelahnya)."""
    from wbk.services.core import integrity
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    count, kept = integrity.rotate_audit_key(ws, _operator())
    typer.echo(t("ws.audit_rotated", count=count, old=str(kept)))


@user_errors
def backup(file: Path) -> None:
    """Cadangkan database dan data dukung ke satu zip bertanda tangan (Ed25519)."""
    from wbk.services.core import backups
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    manifest = backups.backup(ws, _operator(), file)
    blobs = sum(1 for m in manifest["files"] if m.startswith("blobs/"))
    typer.echo(
        t("ws.backed_up", file=str(file), rows=sum(manifest["tables"].values()), files=blobs)
    )


@user_errors
def restore(
    file: Path,
    to: Annotated[Path, typer.Option("--to", help="Folder data baru (kosong)")],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="Kunci publik ruang kerja asal (ed25519:... atau berkas .pub), untuk cadangan "
            "dari ruang kerja lain",
        ),
    ] = None,
    allow_older: Annotated[
        bool,
        typer.Option(
            "--allow-older",
            help="Pulihkan juga cadangan yang lebih lama dari kepala jejak audit yang sudah "
            "disaksikan (tercatat di jejak audit)",
        ),
    ] = False,
) -> None:
    """Pulihkan cadangan ke folder data baru; arsip yang diubah, bertanda tangan lain atau
    lebih lama dari jejak yang disaksikan ditolak."""
    from wbk.services.core import backups, keys
    from wbk.services.core.workspace import open_workspace

    witnessed: list[str] = []
    ws = open_workspace()
    if public_key:  # another workspace's backup: its own witness log is not here
        path = Path(public_key)
        text = path.read_text(encoding="ascii") if path.is_file() else public_key
        trusted = keys.parse_public(text)
    else:
        trusted = backups.public_key(ws)
        witnessed = ws.blobs.witness_records()
    # the audit key of the trail in the backup: this workspace's, or the one WBK_AUDIT_KEY /
    # WBK_AUDIT_KEY_FILE names for a backup from another workspace
    report = backups.restore(file, to, trusted, witnessed, allow_older, ws.db.audit_key)
    typer.echo(
        t("ws.restored", dir=str(to), files=report.files_checked, events=report.events_checked)
    )
