"""``wbk remind``: overdue notes and tasks to their owners, the koordinator's weekly digest,
delivered to a local SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
from datetime import date, timedelta

import pytest

from wbk.errors import InvalidInput, PermissionDenied
from wbk.services import reminders
from wbk.services.assessment import notes
from wbk.services.plan import tasks

IN_CI = os.environ.get("CI") == "true"
TODAY = date.today()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content)
        msg["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if address in m["X-Rcpt"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        if IN_CI:
            pytest.fail("aiosmtpd is required under CI=true")
        pytest.skip("aiosmtpd not installed")
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _body(msg) -> str:
    return msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")


@pytest.fixture
def due(world):
    """An overdue note for the agen, a note not yet due, a koordinator with an address."""
    ws, a, act = world["ws"], world["a"], world["actors"]
    for name in ("agen", "koordinator", "tpi"):
        reminders.set_email(ws, world["op"], name, f"{name}@contoh.go.id")
    late = notes.add_note(
        ws,
        act["tpi"],
        a,
        "P.MP.i.b",
        "SK tim belum diunggah",
        "tinggi",
        "agen",
        TODAY - timedelta(days=3),
    )
    notes.add_note(
        ws,
        act["tpi"],
        a,
        "P.MP.ii.a",
        "Pakta integritas?",
        "sedang",
        "agen",
        TODAY + timedelta(days=3),
    )
    return {**world, "late": late}


def _env(ws, port=None, **extra):
    env = {**os.environ, "WBK_DATA_DIR": str(ws.settings.data_dir), "WBK_LANG": "id"}
    env.pop("WBK_DATABASE_URL", None)
    for k in [k for k in env if k.startswith("WBK_SMTP_")]:
        env.pop(k)
    if ws.settings.database_url:
        env["WBK_DATABASE_URL"] = ws.settings.database_url
    if port is not None:
        env |= {
            "WBK_SMTP_HOST": "127.0.0.1",
            "WBK_SMTP_PORT": str(port),
            "WBK_SMTP_STARTTLS": "false",
            "WBK_SMTP_FROM": "wbk@contoh.go.id",
        }
    return env | extra


def _wbk(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "wbk", "remind", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_owner_of_an_overdue_note_gets_one_mail_naming_note_and_question(due, smtp):
    inbox, port = smtp
    ws = due["ws"]
    proc = _wbk(_env(ws, port), "--no-digest")
    assert proc.returncode == 0, proc.stderr
    (mail,) = inbox.messages  # nobody else has anything due
    assert "agen@contoh.go.id" in mail["X-Rcpt"]
    assert mail["From"] == "wbk@contoh.go.id"
    body = _body(mail)
    assert "SK tim belum diunggah" in body and "P.MP.i.b" in body
    question = ws.catalog("lke-zi-2021").items["P.MP.i.b"].text
    assert question in body
    assert "lewat 3 hari" in body
    assert "Pakta integritas" not in body  # not due yet
    assert "1 e-mail terkirim" in proc.stdout


def test_the_digest_reaches_the_koordinator_with_days_to_the_deadline(due, smtp):
    inbox, port = smtp
    ws = due["ws"]
    proc = _wbk(_env(ws, port), "--digest")
    assert proc.returncode == 0, proc.stderr
    (digest,) = inbox.to("koordinator@contoh.go.id")
    body = _body(digest)
    assert "Kankemenag Kota A 2026" in body
    assert "catatan terbuka 2 (lewat tenggat 1)" in body
    assert "batas usulan" in body
    assert "Kankemenag Kota B" not in body  # not this koordinator's unit
    assert len(inbox.to("agen@contoh.go.id")) == 1
    assert inbox.to("tpi@contoh.go.id") == []  # nothing due for the TPI


def test_nobody_gets_a_mail_for_nothing(world, smtp):
    inbox, port = smtp
    reminders.set_email(world["ws"], world["op"], "agen", "agen@contoh.go.id")
    proc = _wbk(_env(world["ws"], port), "--no-digest")
    assert proc.returncode == 0, proc.stderr
    assert inbox.messages == []
    assert "Tidak ada yang perlu diingatkan" in proc.stdout


def test_without_smtp_settings_the_command_says_so_and_exits_2(due):
    proc = _wbk(_env(due["ws"]))
    assert proc.returncode == 2
    assert "WBK_SMTP_HOST" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dry_run_prints_what_would_be_sent_without_smtp(due):
    proc = _wbk(_env(due["ws"]), "--dry-run", "--no-digest")
    assert proc.returncode == 0, proc.stderr
    assert "To: agen <agen@contoh.go.id>" in proc.stdout
    assert "SK tim belum diunggah" in proc.stdout


def test_overdue_tasks_are_reminded_and_people_without_address_are_reported(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    tasks.create_tasks(ws, act["koordinator"], a, [tasks.NewTask("P.MP.i.a", "Ya", "agen", TODAY)])
    run = reminders.compose(ws, op, TODAY + timedelta(days=2))
    assert run.mails == [] and run.missing_email == ["agen"]
    reminders.set_email(ws, op, "agen", " agen@contoh.go.id ")
    run = reminders.compose(ws, op, TODAY + timedelta(days=2))
    (mail,) = run.mails
    assert "Tugas #" in mail.body and "P.MP.i.a" in mail.body and "lewat 2 hari" in mail.body
    assert reminders.compose(ws, op, TODAY).mails == []  # due today is not overdue


def test_email_addresses_are_checked_and_only_admins_or_the_person_set_them(world):
    ws, act = world["ws"], world["actors"]
    with pytest.raises(InvalidInput):
        reminders.set_email(ws, world["op"], "agen", "bukan alamat")
    with pytest.raises(PermissionDenied):
        reminders.set_email(ws, act["koordinator"], "agen", "x@contoh.go.id")
    assert reminders.set_email(ws, act["agen"], "agen", "saya@contoh.go.id") == "saya@contoh.go.id"
    with pytest.raises(PermissionDenied):
        reminders.compose(ws, act["koordinator"])


def test_user_commands_set_the_address(world):
    env = _env(world["ws"])
    run = [sys.executable, "-m", "wbk", "user"]
    proc = subprocess.run(
        [*run, "add", "rina", "--role", "agen", "--unit", "A", "--email", "rina@contoh.go.id"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [*run, "set-email", "agen", "tidak-valid"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "tidak valid" in proc.stderr
    assert reminders.emails(world["ws"], ["rina", "agen"]) == {
        "rina": "rina@contoh.go.id",
        "agen": None,
    }
