"""Admin pages: the audit log (read only) and staff accounts (disable / enable).

Accounts are created and passwords reset only from the command line
(`python -m bot staff ...`); this page never shows or sets a password.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import accounts, audit, conversations
from bot.console.pages import (
    NotFound,
    config,
    form_action,
    page_number,
    record,
    render,
    require_admin,
)
from bot.console.sessions import SessionInfo

logger = logging.getLogger("bot.console")

PER_PAGE = 50
AUDIT_ACTIONS = audit.ACTIONS


def audit_page(request: Request) -> Response:
    session = require_admin(request)
    cfg = config(request)
    page = page_number(request)
    action = request.query_params.get("action")
    action = action if action in AUDIT_ACTIONS else None
    # Record first, so the log shows this very look at it.
    record(request, session, "view_audit", detail={"page": page, "action": action})
    rows, total = audit.list_audit(page=page, per_page=PER_PAGE, action=action, url=cfg.url)
    return render(
        request,
        "admin_audit.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "action": action,
            "actions": AUDIT_ACTIONS,
            "masked": conversations.masked_id,
        },
    )


STAFF_MESSAGES = {
    "disabled": "Account disabled; its sessions have ended.",
    "enabled": "Account enabled.",
}


def staff_page(request: Request) -> Response:
    session = require_admin(request)
    cfg = config(request)
    record(request, session, "view_staff")
    return render(
        request,
        "admin_staff.html",
        {
            "accounts": accounts.list_staff(url=cfg.url),
            "done": STAFF_MESSAGES.get(request.query_params.get("done", "")),
            "error": None,
        },
    )


def _staff_action(request: Request, session: SessionInfo, form: Any) -> Response:
    cfg = config(request)
    target = accounts.get_staff(request.path_params["staff_id"], url=cfg.url)
    if target is None:
        raise NotFound()
    action = request.path_params["action"]
    if action == "disable":
        if target.id == session.staff.id:
            return render(
                request,
                "admin_staff.html",
                {
                    "accounts": accounts.list_staff(url=cfg.url),
                    "done": None,
                    "error": "You cannot disable your own account while signed in with it.",
                },
                status_code=400,
            )
        accounts.disable_staff(target.username, url=cfg.url)
        done = "disabled"
    elif action == "enable":
        accounts.enable_staff(target.username, url=cfg.url)
        done = "enabled"
    else:
        raise NotFound()
    record(request, session, f"staff_{action}", target=f"staff:{target.username}")
    logger.info("console: %s %sd account %s", session.staff.username, action, target.username)
    return RedirectResponse(f"/admin/staff?done={done}", status_code=303)


routes = [
    Route("/admin/audit", audit_page, methods=["GET"]),
    Route("/admin/staff", staff_page, methods=["GET"]),
    Route(
        "/admin/staff/{staff_id:int}/{action}",
        form_action(_staff_action, admin=True),
        methods=["POST"],
    ),
]
