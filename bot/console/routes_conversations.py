"""Conversations: the filtered list, the transcript, staff actions on it, and exports."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import conversations, export, review
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

logger = logging.getLogger("bot.console")

PER_PAGE = 25
MASKED = re.compile(r"c-[0-9a-f]{10}")
EXPORT_LIMIT = 500  # conversations in one filtered export
REVIEW_CHOICES = ("reviewed", "unreviewed")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_filters(request: Request) -> conversations.ListFilters:
    """The list's filters from the query string; anything malformed is simply ignored."""
    q = request.query_params
    review_status = q.get("review") if q.get("review") in REVIEW_CHOICES else None
    return conversations.ListFilters(
        flagged=q.get("flagged") in ("1", "on", "true"),
        channel=(q.get("channel") or "").strip()[:32] or None,
        since=_date(q.get("since")),
        until=_date(q.get("until")),
        intent=(q.get("intent") or "").strip()[:100] or None,
        review=review_status,
        search=(q.get("q") or "").strip()[:200] or None,
    )


def filters_detail(filters: conversations.ListFilters) -> dict[str, Any]:
    """The filters for the audit log: which set was viewed or exported (search words omitted)."""
    return {
        "flagged": filters.flagged,
        "channel": filters.channel,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "intent": filters.intent,
        "review": filters.review,
        "search": bool(filters.search),
    }


def conversation_list(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    filters = parse_filters(request)
    page = page_number(request)
    rows, total = conversations.list_conversations(
        filters, page=page, per_page=PER_PAGE, url=cfg.url, tracker_url=cfg.tracker_url
    )
    record(request, session, "view_list", detail={**filters_detail(filters), "page": page})
    channels = sorted(
        {"rest", "socketio", "sms", *(r.summary.channel for r in rows if r.summary.channel)}
    )
    return render(
        request,
        "conversations.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "filters": filters,
            "channels": channels,
            "q": request.query_params,
        },
    )


def _detail(request: Request, masked: str):
    """The conversation behind a masked id; URLs never take a raw id (a phone number)."""
    if not MASKED.fullmatch(masked):
        raise NotFound()
    cfg = config(request)
    detail = conversations.conversation_detail(masked, url=cfg.url, tracker_url=cfg.tracker_url)
    if detail is None:
        raise NotFound()
    return detail


def transcript(request: Request) -> Response:
    session = require_staff(request)
    detail = _detail(request, request.path_params["masked"])
    conversation_id = detail.conversation_id
    record(request, session, "view_transcript", conversation_id=conversation_id)
    return render(
        request,
        "transcript.html",
        {
            "d": detail,
            "masked": detail.row.masked_id,
            "evidence": detail.evidence,
            "done": DONE_MESSAGES.get(request.query_params.get("done", "")),
            "error": None,
        },
    )


def _conversation_action(request: Request, session: SessionInfo, form: Any) -> Response:
    cfg = config(request)
    masked = request.path_params["masked"]
    action = request.path_params["action"]
    detail = _detail(request, masked)
    conversation_id = detail.conversation_id
    by = session.staff.username
    try:
        if action == "review":
            review.mark_reviewed(conversation_id, by, url=cfg.url)
            record(request, session, "mark_reviewed", conversation_id=conversation_id)
            done = "reviewed"
        elif action == "tag":
            tag = str(form.get("tag") or "")
            review.add_tag(conversation_id, tag, by, url=cfg.url)
            record(request, session, "tag", conversation_id=conversation_id, detail={"tag": tag})
            done = "tag"
        elif action == "note":
            review.add_note(conversation_id, str(form.get("text") or ""), by, url=cfg.url)
            record(request, session, "note", conversation_id=conversation_id)
            done = "note"
        else:
            raise NotFound()
    except ValueError as exc:
        return _transcript_with_error(request, session, detail, str(exc))
    return RedirectResponse(f"/conversations/{masked}?done={done}", status_code=303)


def _transcript_with_error(request: Request, session, detail, error: str) -> Response:
    """The transcript again with the problem shown (e.g. an empty note), status 400."""
    record(request, session, "view_transcript", conversation_id=detail.conversation_id)
    return render(
        request,
        "transcript.html",
        {
            "d": detail,
            "masked": detail.row.masked_id,
            "evidence": detail.evidence,
            "done": None,
            "error": error,
        },
        status_code=400,
    )


# --- Export ------------------------------------------------------------------------------

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _export_response(
    request: Request, session, details: list, fmt: str, stem: str, detail: dict[str, Any]
) -> Response:
    if fmt not in MEDIA_TYPES:
        raise NotFound()
    redacted = request.query_params.get("redact") in ("1", "on", "true")
    body = (
        export.to_csv(details, redact=redacted)
        if fmt == "csv"
        else export.to_json(details, redact=redacted)
    )
    record(
        request,
        session,
        "export",
        conversation_id=details[0].conversation_id if len(details) == 1 else None,
        detail={"count": len(details), "redacted": redacted, "format": fmt, **detail},
    )
    logger.info(
        "console: %s exported %d conversation(s) as %s (redacted=%s)",
        session.staff.username,
        len(details),
        fmt,
        redacted,
    )
    suffix = "-redacted" if redacted else ""
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}{suffix}.{fmt}"'},
    )


def export_one(request: Request) -> Response:
    session = require_staff(request)
    masked = request.path_params["masked"]
    detail = _detail(request, masked)
    return _export_response(
        request, session, [detail], request.path_params["fmt"], f"conversation-{masked}", {}
    )


def export_filtered(request: Request) -> Response:
    session = require_staff(request)
    cfg = config(request)
    filters = parse_filters(request)
    details = conversations.details_matching(
        filters, limit=EXPORT_LIMIT, url=cfg.url, tracker_url=cfg.tracker_url
    )
    return _export_response(
        request,
        session,
        details,
        request.path_params["fmt"],
        f"conversations-{date.today().isoformat()}",
        {"filters": filters_detail(filters)},
    )


routes = [
    Route("/conversations", conversation_list, methods=["GET"]),
    Route("/conversations/{masked}/export.{fmt}", export_one, methods=["GET"]),
    Route("/conversations/{masked}", transcript, methods=["GET"]),
    Route("/conversations/{masked}/{action}", form_action(_conversation_action), methods=["POST"]),
    Route("/export.{fmt}", export_filtered, methods=["GET"]),
]
