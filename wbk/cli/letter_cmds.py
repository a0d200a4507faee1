"""``wbk proposal letter`` and ``wbk proposal sptjm``: the Surat Pengajuan Evaluasi and the
SPTJM that send a year's proposals (PermenPANRB 5/2024), as .docx. Registered on the
``wbk proposal`` group by ``register``; each command imports its services in its body."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors
from wbk.i18n import fmt_date, t

Unit = Annotated[str, typer.Option("--unit", help="Kode instansi (unit induk yang mengusulkan)")]
Year = Annotated[int, typer.Option("--year", help="Tahun evaluasi")]
Out = Annotated[Path, typer.Option("--out", help="Berkas keluaran (.docx)")]
Number = Annotated[str, typer.Option("--number", help="Nomor surat (kosong: titik-titik)")]
Place = Annotated[str, typer.Option("--place", help="Tempat pada baris tanggal, mis. Jakarta")]
Name = Annotated[str, typer.Option("--name", help="Nama penanda tangan (kosong: titik-titik)")]
Nip = Annotated[str, typer.Option("--nip", help="NIP penanda tangan (kosong: titik-titik)")]
Position = Annotated[
    str, typer.Option("--position", help="Jabatan penanda tangan (bawaan: dari nama instansi)")
]


def register(app: typer.Typer) -> None:
    """Add the two commands to the ``wbk proposal`` group."""
    app.command("letter")(proposal_letter)
    app.command("sptjm")(proposal_sptjm)


def _make(
    kind: str, unit: str, year: int, out: Path, signer: dict[str, str], as_user: str | None
) -> None:
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import letters

    ws = open_workspace()
    made = letters.build(ws, actor(ws, as_user), kind, unit, year, letters.Signer(**signer))
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(made.content)
    tmp.replace(out)
    units = made.data.units
    what = t(f"letters.cli.{kind}")
    typer.echo(
        t("letters.cli.written", what=what, unit=unit, year=year, count=len(units), path=out)
    )
    for n, u in enumerate(units, start=1):
        typer.echo(f"  {n}. {u.code} · {u.name} · {u.kategori}")
    today = date.today()
    if letters.past_deadline(year, today):
        late = t(
            "letters.cli.late",
            year=year,
            deadline=fmt_date(letters.deadline(year)),
            today=fmt_date(today),
        )
        sys.stderr.write(late + "\n")


@user_errors
def proposal_letter(
    unit: Unit,
    year: Year,
    out: Out,
    number: Number = "",
    place: Place = "",
    name: Name = "",
    nip: Nip = "",
    position: Position = "",
    as_user: AsUser = None,
) -> None:
    """Surat Pengajuan Evaluasi (.docx): satu surat pimpinan instansi kepada Menteri PANRB yang
    mengusulkan semua unit di bawahnya untuk tahun itu (PermenPANRB 5/2024)."""
    signer = {"number": number, "place": place, "name": name, "nip": nip, "title": position}
    _make("letter", unit, year, out, signer, as_user)


@user_errors
def proposal_sptjm(
    unit: Unit,
    year: Year,
    out: Out,
    number: Number = "",
    place: Place = "",
    name: Name = "",
    nip: Nip = "",
    position: Position = "",
    as_user: AsUser = None,
) -> None:
    """Surat Pernyataan Tanggung Jawab Mutlak (.docx) atas data unit yang diusulkan tahun itu,
    dengan tempat meterai."""
    signer = {"number": number, "place": place, "name": name, "nip": nip, "title": position}
    _make("sptjm", unit, year, out, signer, as_user)
