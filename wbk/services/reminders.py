"""Reminders by e-mail (``wbk remind``, run from cron): each owner gets one mail listing their
overdue review notes and plan tasks; each koordinator gets a weekly digest of their units'
assessments (days to the proposal deadline, open and overdue notes and tasks, questions
answered). ``compose`` computes the messages (nothing is sent); ``send`` delivers them through
the SMTP settings (``WBK_SMTP_*``). Nobody gets a mail for nothing; locked assessments and
inactive people are left out; a person without an e-mail address is reported, not mailed."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr

from sqlalchemy import select

from wbk.errors import InvalidInput, NotFound, WbkError
from wbk.i18n import fmt_date, t
from wbk.services.assessment.context import load_context
from wbk.services.core import audit
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, require, unit_chain, unit_parents
from wbk.services.plan.task_views import tasks_of
from wbk.settings import Settings, app_url
from wbk.store.tables import Answer, Assessment, ReviewNote, RoleGrant, Unit, UserAccount
from wbk.store.tables.tasks import PlanTask

EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class SmtpNotConfigured(WbkError):
    key = "followup.remind.no_smtp"


class SendFailed(WbkError):
    key = "followup.remind.send_failed"


@dataclass(frozen=True, slots=True)
class Mail:
    to: str  # the address
    username: str
    name: str
    kind: str  # overdue | digest
    subject: str
    body: str


@dataclass
class ReminderRun:
    today: date
    mails: list[Mail] = field(default_factory=list)
    missing_email: list[str] = field(default_factory=list)  # usernames with something due


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    username: str
    name: str
    email: str | None
    lang: str


def normalise_email(email: str | None) -> str | None:
    """A valid address in stored form (trimmed), or None for an empty one; refuses junk."""
    value = (email or "").strip()
    if not value:
        return None
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise InvalidInput("followup.bad_email", email=value)
    return value


def set_email(ws: Workspace, actor: Actor, username: str, email: str | None) -> str | None:
    """Set (or clear) a person's e-mail address: an administrator, or the person themself."""
    value = normalise_email(email)
    with ws.db.write() as s:
        user = s.execute(
            select(UserAccount).where(UserAccount.username == username)
        ).scalar_one_or_none()
        if user is None:
            raise NotFound("notfound.user", username=username)
        if actor.user_id != user.id:
            require(actor, "system", [])
        before = user.email
        user.email = value
        audit.record(s, actor, "user.email", "user", user.id, {"email": before}, {"email": value})
    return value


def _people(s) -> dict[int, _Person]:
    return {
        u.id: _Person(u.id, u.username, u.display_name or u.username, u.email, u.lang or "id")
        for u in s.execute(select(UserAccount).where(UserAccount.active.is_(True))).scalars()
    }


def _overdue_tasks(ws: Workspace, actor: Actor, aids: list[int], today: date) -> list:
    """Open tasks past due, as the screens see them (a task whose answer reached its target
    is done even before the plan page persisted it)."""

    out = []
    for aid in aids:
        ctx = load_context(ws, actor, aid, today)
        out.extend((ctx, task) for task in tasks_of(ctx) if task.overdue(today))
    return out


def compose(
    ws: Workspace, actor: Actor, today: date | None = None, digest: bool = False
) -> ReminderRun:
    """The mails a run would send today (``digest``: include the koordinators' digests)."""
    today = today or date.today()
    run = ReminderRun(today)
    link = app_url(ws.settings)  # the app's address for people (WBK_APP_URL), when set
    with ws.db.read() as s:
        require(actor, "system", [])
        people = _people(s)
        live = {
            a.id: (a, unit)
            for a, unit in s.execute(
                select(Assessment, Unit)
                .join(Unit, Unit.id == Assessment.unit_id)
                .where(Assessment.status != "locked")
                .order_by(Unit.name, Assessment.year)
            )
        }
        late_notes = s.execute(
            select(ReviewNote)
            .where(
                ReviewNote.assessment_id.in_(live),
                ReviewNote.status == "open",
                ReviewNote.due_date < today,
                ReviewNote.owner_id.is_not(None),
            )
            .order_by(ReviewNote.due_date, ReviewNote.id)
        ).scalars()
        late_notes = list(late_notes)
        task_aids = sorted(
            set(
                s.execute(
                    select(PlanTask.assessment_id).where(
                        PlanTask.assessment_id.in_(live),
                        PlanTask.status == "open",
                        PlanTask.due_date < today,
                    )
                ).scalars()
            )
        )
        koordinators = (
            s.execute(select(RoleGrant).where(RoleGrant.role == "koordinator")).scalars().all()
            if digest
            else []
        )
        counts = _counts(s, list(live), today) if digest else {}
        by_user: dict[int, set[int]] = defaultdict(set)
        if koordinators:
            parents = unit_parents(s)
            chains = {aid: unit_chain(s, unit.id, parents) for aid, (_a, unit) in live.items()}
            for g in koordinators:
                if g.user_id in people:
                    by_user[g.user_id].update(
                        aid for aid, chain in chains.items() if g.unit_id in chain
                    )
    late_tasks = _overdue_tasks(ws, actor, task_aids, today)

    per_owner: dict[int, list[str]] = defaultdict(list)
    for n in late_notes:
        a, unit = live[n.assessment_id]
        person = people.get(n.owner_id)
        if person is None:
            continue
        item = ws.catalog(a.catalog_id).items.get(n.code)
        per_owner[n.owner_id].append(
            t(
                "followup.remind.note_line",
                lang=person.lang,
                id=n.id,
                code=n.code,
                question=item.text if item else "",
                note=n.text,
                due=fmt_date(n.due_date, person.lang),
                days=(today - n.due_date).days,
                unit=unit.name,
                year=a.year,
            )
        )
    for ctx, task in late_tasks:
        person = people.get(task.owner_id)
        if person is None:
            continue
        item = ctx.catalog.items.get(task.code)
        per_owner[task.owner_id].append(
            t(
                "followup.remind.task_line",
                lang=person.lang,
                id=task.id,
                code=task.code,
                question=item.text if item else "",
                target=task.target,
                due=fmt_date(task.due_date, person.lang),
                days=(today - task.due_date).days,
                unit=ctx.assessment.unit_name,
                year=ctx.assessment.year,
            )
        )
    for uid, lines in per_owner.items():
        person = people[uid]
        _add(run, person, "overdue", "followup.remind.overdue_subject", len(lines), lines, link)

    for uid, aids in by_user.items():
        person = people[uid]
        lines = [
            _digest_line(person.lang, live[aid][0], live[aid][1], counts.get(aid, {}), today, ws)
            for aid in sorted(aids, key=lambda i: (live[i][1].name, live[i][0].year))
        ]
        _add(run, person, "digest", "followup.remind.digest_subject", len(lines), lines, link)
    run.missing_email.sort()
    return run


def _add(
    run: ReminderRun,
    person: _Person,
    kind: str,
    subject_key: str,
    count: int,
    lines,
    link: str | None = None,
):
    if not lines:
        return
    if not person.email:
        if person.username not in run.missing_email:
            run.missing_email.append(person.username)
        return
    lang = person.lang
    body = "\n".join(
        [
            t("followup.remind.greeting", lang=lang, name=person.name),
            "",
            t(f"followup.remind.{kind}_intro", lang=lang, date=fmt_date(run.today, lang)),
            "",
            *[f"- {line}" for line in lines],
            "",
            *([t("deploy.remind_open", lang=lang, url=link), ""] if link else []),
            t("followup.remind.footer", lang=lang),
        ]
    )
    subject = t(subject_key, lang=lang, count=count, date=fmt_date(run.today, lang))
    run.mails.append(Mail(person.email, person.username, person.name, kind, subject, body))


def _counts(s, aids: list[int], today: date) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not aids:
        return out
    for aid, status, due in s.execute(
        select(ReviewNote.assessment_id, ReviewNote.status, ReviewNote.due_date).where(
            ReviewNote.assessment_id.in_(aids), ReviewNote.status != "closed"
        )
    ):
        out[aid]["notes_open"] += 1
        if status == "open" and due is not None and due < today:
            out[aid]["notes_overdue"] += 1
    for aid, due in s.execute(
        select(PlanTask.assessment_id, PlanTask.due_date).where(
            PlanTask.assessment_id.in_(aids), PlanTask.status == "open"
        )
    ):
        out[aid]["tasks_open"] += 1
        if due < today:
            out[aid]["tasks_overdue"] += 1
    for aid, code in s.execute(
        select(Answer.assessment_id, Answer.code).where(
            Answer.assessment_id.in_(aids), Answer.tier == "self", Answer.value.is_not(None)
        )
    ):
        out[aid].setdefault("_codes", set()).add(code.split("#", 1)[0])  # type: ignore[union-attr]
    return out


def _digest_line(lang, a: Assessment, unit: Unit, c: dict, today: date, ws: Workspace) -> str:
    questions = len(ws.catalog(a.catalog_id).items)
    answered = len(c.get("_codes", ()))
    if a.deadline is None:
        when = t("followup.remind.no_deadline", lang=lang)
    else:
        days = (a.deadline - today).days
        key = "days_left" if days > 0 else "due_today" if days == 0 else "days_past"
        when = t(
            f"followup.remind.{key}",
            lang=lang,
            days=abs(days),
            deadline=fmt_date(a.deadline, lang),
        )
    return t(
        "followup.remind.digest_line",
        lang=lang,
        unit=unit.name,
        year=a.year,
        status=t(f"status.{a.status}", lang=lang),
        when=when,
        answered=answered,
        questions=questions,
        notes_open=c.get("notes_open", 0),
        notes_overdue=c.get("notes_overdue", 0),
        tasks_open=c.get("tasks_open", 0),
        tasks_overdue=c.get("tasks_overdue", 0),
    )


def digest_due(settings: Settings, today: date) -> bool:
    """Whether today is the digest's weekday."""
    return today.weekday() == settings.remind_digest_weekday


def check_smtp(settings: Settings) -> None:
    """Refuse early (before composing anything) when there is nowhere to send mail."""
    if not settings.smtp_host or not settings.smtp_from:
        raise SmtpNotConfigured()


def message(settings: Settings, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = formataddr((mail.name, mail.to))
    msg["Subject"] = mail.subject
    msg.set_content(mail.body)
    return msg


def send(settings: Settings, mails: list[Mail]) -> int:
    """Deliver the mails over one SMTP connection; returns how many were accepted."""
    check_smtp(settings)
    if not mails:
        return 0
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout
    try:
        if settings.smtp_ssl:
            conn = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(host, port, timeout=timeout)
        with conn:
            if settings.smtp_starttls and not settings.smtp_ssl:
                conn.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                conn.login(settings.smtp_user, settings.smtp_password or "")
            sent = 0
            for mail in mails:
                conn.send_message(message(settings, mail))
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailed(host=host, port=port, reason=str(exc) or type(exc).__name__) from None
    return sent


def record_run(ws: Workspace, actor: Actor, run: ReminderRun, sent: int) -> None:
    """One audit event per run that sent mail: how many, to whom, of which kind."""
    with ws.db.write() as s:
        audit.record(
            s,
            actor,
            "remind.send",
            "reminder",
            run.today.isoformat(),
            None,
            {
                "sent": sent,
                "to": sorted({m.username for m in run.mails}),
                "kinds": sorted({m.kind for m in run.mails}),
                "missing_email": run.missing_email,
            },
        )


def emails(ws: Workspace, usernames: list[str]) -> dict[str, str | None]:
    """The e-mail addresses of these people (for lists the caller already may read)."""
    with ws.db.read() as s:
        return dict(
            s.execute(
                select(UserAccount.username, UserAccount.email).where(
                    UserAccount.username.in_(usernames)
                )
            ).all()
        )
