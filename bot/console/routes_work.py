"""The overview and the work queues: safety flags, handoff requests, shared reflections."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import charts, conversations, overview, review
from bot.console.pages import (
    DONE_MESSAGES,
    NotFound,
    config,
    form_action,
    page_number,
    record,
    render,
    require_staff,
)
from bot.console.sessions import SessionInfo
from bot.console.web_security import safe_next
from bot.reflection.journal import list_shared

PER_PAGE = 25


def _paged(items: list, page: int) -> dict[str, Any]:
    total = len(items)
    return {
        "items": items[(page - 1) * PER_PAGE : page * PER_PAGE],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
    }


def home(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    data = overview.overview(days=30, url=cfg.url, tracker_url=cfg.tracker_url)
    record(request, session, "view_overview")
    svg = {
        "per_day": charts.line_chart(
            data.per_day_by_channel,
            title="Conversations per day, by channel",
            y_label="conversations",
            width=1120,
            height=280,
        ),
        "topics": charts.bar_chart(
            data.top_topics, title="Most-asked topics", width=540, height=280
        ),
        "fallback": charts.line_chart(
            {"fallback": data.fallback_rate_by_day},
            title="Fallback or low-confidence messages per day",
            y_label="share of messages",
            percent=True,
            width=540,
            height=280,
        ),
    }
    # charts.py escapes every label itself and emits no script or style: safe to inline.
    return render(
        request,
        "overview.html",
        {"o": data, "charts": {k: Markup(v) for k, v in svg.items()}},
    )


def _done(request: Request) -> str | None:
    return DONE_MESSAGES.get(request.query_params.get("done", ""))


def _masked(conversation_id: str) -> str:
    return conversations.masked_id(conversation_id)


def flags_page(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    show = request.query_params.get("show", "open")
    if show not in ("open", "resolved"):
        show = "all"
    flags = review.list_flags(status=None if show == "all" else show, url=cfg.url)
    # New (not yet acknowledged) first: those are the ones nobody has looked at.
    flags.sort(key=lambda f: (f.status != "new", f.status != "acknowledged"))
    record(request, session, "view_flags", detail={"show": show})
    return render(
        request,
        "flags.html",
        {
            "show": show,
            "masked": _masked,
            "done": _done(request),
            **_paged(flags, page_number(request)),
        },
    )


def handoffs_page(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    show = request.query_params.get("show", "open")
    if show not in ("open", "closed"):
        show = "all"
    items = review.list_handoffs(status=None if show == "all" else show, url=cfg.url)
    # Urgent open requests first (a crisis reply came just before), newest first within.
    items.sort(key=lambda h: not (h.urgent and h.status != "closed"))
    record(request, session, "view_handoffs", detail={"show": show})
    return render(
        request,
        "handoffs.html",
        {
            "show": show,
            "masked": _masked,
            "done": _done(request),
            **_paged(items, page_number(request)),
        },
    )


def reflections_page(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    page = page_number(request)
    entries = list_shared(limit=page * PER_PAGE + 1, url=cfg.url)
    record(request, session, "view_reflections", detail={"page": page})
    return render(
        request,
        "reflections.html",
        {
            "items": entries[(page - 1) * PER_PAGE : page * PER_PAGE],
            "page": page,
            "has_next": len(entries) > page * PER_PAGE,
            "masked": _masked,
        },
    )


# --- Changes ---------------------------------------------------------------------------


def _flag_action(request: Request, session: SessionInfo, form: Any) -> Response:
    cfg = config(request)
    flag_id = request.path_params["flag_id"]
    by = session.staff.username
    try:
        if request.path_params["action"] == "acknowledge":
            flag = review.acknowledge_flag(flag_id, by, url=cfg.url)
            action, done = "flag_acknowledge", "acknowledged"
        elif request.path_params["action"] == "resolve":
            note = str(form.get("note") or "")  # trimmed and bounded by the repository
            flag = review.resolve_flag(flag_id, by, note=note, url=cfg.url)
            action, done = "flag_resolve", "resolved"
        else:
            raise NotFound()
    except LookupError as exc:
        raise NotFound() from exc
    record(
        request,
        session,
        action,
        conversation_id=flag.conversation_id,
        target=f"safety_flag:{flag_id}",
        detail={"category": flag.category},
    )
    return _back(form, f"/conversations/{_masked(flag.conversation_id)}", done)


def _handoff_resolve(request: Request, session: SessionInfo, form: Any) -> Response:
    cfg = config(request)
    handoff_id = request.path_params["handoff_id"]
    try:
        handoff = review.resolve_handoff(handoff_id, session.staff.username, url=cfg.url)
    except LookupError as exc:
        raise NotFound() from exc
    record(
        request,
        session,
        "handoff_resolve",
        conversation_id=handoff.conversation_id,
        target=f"handoff:{handoff_id}",
    )
    return _back(form, f"/conversations/{_masked(handoff.conversation_id)}", "handoff")


def _back(form: Any, default: str, done: str) -> Response:
    """Back to the page the form was on (a local path only), saying what was done."""
    target = safe_next(str(form.get("next") or ""), default)
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "done"] + [("done", done)]
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return RedirectResponse(f"{parts.path}?{urlencode(query)}{fragment}", status_code=303)


routes = [
    Route("/", home, methods=["GET"]),
    Route("/flags", flags_page, methods=["GET"]),
    Route("/flags/{flag_id:int}/{action}", form_action(_flag_action), methods=["POST"]),
    Route("/handoffs", handoffs_page, methods=["GET"]),
    Route("/handoffs/{handoff_id:int}/resolve", form_action(_handoff_resolve), methods=["POST"]),
    Route("/reflections", reflections_page, methods=["GET"]),
]
