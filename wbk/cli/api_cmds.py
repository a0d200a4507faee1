"""``wbk api`` (the PortalRB API server), ``wbk proposal`` (which unit is proposed for which
predicate) and ``wbk token`` (the bearer tokens PortalRB fetches with)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli import letter_cmds
from wbk.cli.common import AsUser, actor, parse_date, user_errors
from wbk.cli.requirement_cmds import requirement_app
from wbk.i18n import fmt_date, t

if TYPE_CHECKING:
    from wbk.services.portalrb.proposals import ProposalView, Readiness

# Each command imports its services in its body (see wbk.cli.lazy).

proposal_app = typer.Typer(
    help="Usulan unit ke PortalRB (WBK/WBBM)", no_args_is_help=True, rich_markup_mode=None
)
proposal_app.add_typer(requirement_app, name="requirement")
token_app = typer.Typer(
    help="Token API untuk PortalRB", no_args_is_help=True, rich_markup_mode=None
)

Unit = Annotated[str, typer.Option("--unit", help="Kode unit")]
Year = Annotated[int, typer.Option("--year", help="Tahun evaluasi")]


@user_errors
def api(
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengar")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port")] = 8600,
) -> None:
    """Jalankan API PortalRB (di balik reverse proxy HTTPS organisasi)."""
    from urllib.parse import urlsplit

    import uvicorn

    from wbk.settings import api_url, get_settings

    cfg = get_settings()
    typer.echo(t("portalrb_api.cli.serving", url=f"http://{host}:{port}"), err=True)
    # Behind the proxy the API lives under WBK_API_URL's path (/api). uvicorn leaves
    # X-Forwarded-For alone: the API believes it only from WBK_TRUSTED_PROXIES (wbk.api.gate).
    # The API is another entry point: uvicorn loads it by name (its factory), the CLI never
    # imports it.
    uvicorn.run(
        "wbk.api.app:serve",
        factory=True,
        host=host,
        port=port,
        proxy_headers=False,
        root_path=urlsplit(api_url(cfg) or "").path.rstrip("/"),
        log_level="info",
    )


# --- proposals -------------------------------------------------------------------------------


def _print_readiness(ready: Readiness) -> None:
    key = "portalrb_api.cli.ready" if ready.ready else "portalrb_api.cli.not_ready"
    typer.echo("  " + t(key))
    for check in ready.checks:
        mark = "✓" if check.ok else "✗"
        typer.echo(f"    {mark} {check.message()}")


def _line(p: ProposalView) -> str:
    return t(
        "portalrb_api.cli.proposal_line",
        year=p.year,
        unit=p.unit_code,
        name=p.unit_name,
        kategori=p.kategori,
        assessment=p.assessment_id,
        status=t(f"status.{p.status}"),
    )


@proposal_app.command("set")
@user_errors
def proposal_set(
    unit: Unit,
    year: Year,
    predicate: Annotated[str, typer.Option("--predicate", help="WBK atau WBBM")],
    afirmasi: Annotated[
        bool, typer.Option("--afirmasi", help="Kategori WBK-AFIRMASI (hanya WBK)")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Alasan usulan")] = None,
    as_user: AsUser = None,
) -> None:
    """Usulkan unit untuk WBK/WBBM pada tahun evaluasi (atau ubah usulannya); menampilkan
    pemeriksaan kesiapan PortalRB."""
    from wbk.cli.requirement_cmds import print_check
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import proposals
    from wbk.services.portalrb.proposals import ReasonNeeded

    ws = open_workspace()
    who = actor(ws, as_user)
    try:
        view = proposals.set_proposal(ws, who, unit, year, predicate, afirmasi, reason)
    except ReasonNeeded as exc:
        print_check(exc.check)
        if not sys.stdin.isatty():  # a script gives the reason with --reason
            raise
        reason = typer.prompt(t("syarat.check.reason_prompt"))
        view = proposals.set_proposal(ws, who, unit, year, predicate, afirmasi, reason)
    typer.echo(t("portalrb_api.cli.proposed", line=_line(view)))
    if view.check is not None:
        print_check(view.check)


@proposal_app.command("remove")
@user_errors
def proposal_remove(unit: Unit, year: Year, as_user: AsUser = None) -> None:
    """Tarik usulan unit pada tahun evaluasi."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import proposals

    ws = open_workspace()
    view = proposals.remove_proposal(ws, actor(ws, as_user), unit, year)
    typer.echo(t("portalrb_api.cli.removed", unit=view.unit_code, year=view.year))


@proposal_app.command("check")
@user_errors
def proposal_check(
    unit: Unit,
    year: Year,
    predicate: Annotated[
        str | None, typer.Option("--predicate", help="WBK atau WBBM (bawaan: usulannya)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sebagai JSON")] = False,
    as_user: AsUser = None,
) -> None:
    """Dapatkah unit diusulkan: syarat PermenPANRB 5/2024 dan kesiapan LKE untuk PortalRB
    (tanpa mengusulkan). Keluar dengan kode 1 bila belum dapat diusulkan."""
    from wbk.cli.requirement_cmds import print_check
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import requirements

    ws = open_workspace()
    check = requirements.check(ws, actor(ws, as_user), unit, year, predicate)
    if as_json:
        typer.echo(json.dumps(check.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_check(check)
    if not check.ready:
        raise typer.Exit(1)


@proposal_app.command("list")
@user_errors
def proposal_list(
    year: Annotated[int | None, typer.Option("--year", help="Tahun evaluasi")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sebagai JSON")] = False,
    as_user: AsUser = None,
) -> None:
    """Daftar usulan dengan pemeriksaan kesiapannya."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import fetches, proposals

    ws = open_workspace()
    who = actor(ws, as_user)
    items = proposals.list_proposals(ws, who, year)
    fetched = fetches.last_fetches(ws, who, year)
    if as_json:
        out = [p.to_dict() | {"portalrb": fetched.of(p.unit_code, p.year).to_dict()} for p in items]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not items:
        typer.echo(t("portalrb_api.cli.no_proposals"))
    for p in items:
        typer.echo(_line(p))
        typer.echo(t("portalrb_fetch.cli_line", fetch=fetched.of(p.unit_code, p.year).message()))
        if p.readiness is not None:
            _print_readiness(p.readiness)


letter_cmds.register(proposal_app)  # wbk proposal letter | sptjm (PermenPANRB 5/2024)

# --- tokens ----------------------------------------------------------------------------------


@token_app.command("create")
@user_errors
def token_create(
    name: Annotated[str, typer.Argument(help="Nama token, mis. portalrb-2026")],
    unit: Unit,
    expires: Annotated[
        str | None, typer.Option("--expires", help="Hari terakhir berlaku (YYYY-MM-DD)")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Buat token untuk unit (dan unit di bawahnya); token tampil sekali di baris terakhir."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import tokens

    ws = open_workspace()
    made = tokens.create_token(ws, actor(ws, as_user), name, unit, parse_date(expires))
    until = fmt_date(made.view.expires_on) if made.view.expires_on else t("portalrb_api.forever")
    typer.echo(t("portalrb_api.cli.token_created", name=name, unit=unit, until=until))
    typer.echo(made.secret)


@token_app.command("list")
@user_errors
def token_list(
    as_json: Annotated[bool, typer.Option("--json", help="Sebagai JSON")] = False,
    as_user: AsUser = None,
) -> None:
    """Daftar token (tanpa isinya: hanya hash yang disimpan)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import tokens

    ws = open_workspace()
    items = tokens.list_tokens(ws, actor(ws, as_user))
    if as_json:
        typer.echo(json.dumps([v.to_dict() for v in items], ensure_ascii=False, indent=2))
        return
    if not items:
        typer.echo(t("portalrb_api.cli.no_tokens"))
    for v in items:
        typer.echo(
            t(
                "portalrb_api.cli.token_line",
                name=v.name,
                unit=v.unit_code,
                status=t(f"portalrb_api.token.status_{v.status}"),
                until=fmt_date(v.expires_on) if v.expires_on else t("portalrb_api.forever"),
                used=fmt_date(v.last_used_at.date()) if v.last_used_at else "–",
            )
        )


@token_app.command("revoke")
@user_errors
def token_revoke(name: str, as_user: AsUser = None) -> None:
    """Cabut token: permintaan berikutnya dengan token itu ditolak (401)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import tokens

    ws = open_workspace()
    view = tokens.revoke_token(ws, actor(ws, as_user), name)
    typer.echo(t("portalrb_api.cli.token_revoked", name=view.name, unit=view.unit_code))
