"""``wbk blobs``: where evidence files are kept; move them to another store (e.g. S3)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli.common import user_errors
from wbk.i18n import fmt_number, t

if TYPE_CHECKING:
    from wbk.blobs.migrate import CopyOutcome

blobs_app = typer.Typer(
    help="Penyimpanan berkas data dukung", no_args_is_help=True, rich_markup_mode=None
)


@blobs_app.callback()
def blobs() -> None:
    """Penyimpanan berkas data dukung (folder lokal atau S3)."""


def _mb(size: int) -> str:
    return fmt_number(size / 1_000_000, 1)


def _progress(done: int, total: int, outcome: CopyOutcome) -> None:
    width = len(str(total))
    line = t(
        f"blobs.migrate.{outcome.status}",
        done=f"{done:>{width}}",
        total=total,
        sha=outcome.sha256[:12],
        size_mb=_mb(outcome.size),
        reason=outcome.reason(),
    )
    typer.echo(line, err=outcome.status == "failed")


@blobs_app.command("migrate")
@user_errors
def migrate(
    to: Annotated[
        str,
        typer.Option("--to", help="Penyimpanan tujuan: s3://bucket/prefix, file:///folder"),
    ],
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=32, help="Berkas yang disalin bersamaan")
    ] = 4,
) -> None:
    """Salin setiap berkas ke penyimpanan lain, diperiksa SHA-256-nya; aman diulang."""
    from wbk.blobs import BlobUrlError, open_blob_store
    from wbk.blobs.migrate import migrate_blobs
    from wbk.settings import get_settings

    settings = get_settings()
    data_dir = Path(settings.data_dir)
    target = open_blob_store(to, data_dir)  # a bad --to is refused before anything is touched
    source = open_blob_store(settings.blob_url, data_dir)
    source_at = getattr(source, "location", settings.blob_url or str(data_dir / "blobs"))
    target_at = getattr(target, "location", to)
    if source_at == target_at:
        raise BlobUrlError(
            "blobs.bad_url", url=to, reason_key="blobs.reason.same_store", reason_params={}
        )
    typer.echo(t("blobs.migrate.start", source=source_at, target=target_at))
    report = migrate_blobs(source, target, progress=_progress, workers=workers)
    typer.echo(
        t(
            "blobs.migrate.summary",
            total=report.total,
            copied=report.copied,
            skipped=report.skipped,
            failed=len(report.failed),
            size_mb=_mb(report.bytes_copied),
        )
    )
    typer.echo(t("blobs.migrate.witnesses", count=report.witnesses))
    if not report.ok:
        for outcome in report.failed:
            sys.stderr.write(
                t("blobs.migrate.failed_item", sha=outcome.sha256, reason=outcome.reason()) + "\n"
            )
        typer.echo(t("blobs.migrate.rerun"), err=True)
        raise typer.Exit(1)
    typer.echo(t("blobs.migrate.next", url=to))
