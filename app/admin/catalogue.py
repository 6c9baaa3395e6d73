"""One set of views for every catalogue screen the features register (app.core.catalogue):
list, new, edit, retire, reinstate (+ a screen's row actions) under /admin/<slug>.

The routes are added after every feature's init_app has registered its screen, as endpoints
of the admin section ("admin.<key>…": the admin entry of the navigation is current there).
Old addresses of a screen are werkzeug aliases of the new rules: matching one answers
308 Permanent Redirect to the canonical URL (the method and body are kept, so a form posted
to an old address is posted again to the new one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.decorators import permission_required
from app.core.catalogue import CatalogueScreen, Message, RowAction, catalogue_screens
from app.core.web import submit

GET_POST = ["GET", "POST"]


def _text(message: Message | None, entry: Any) -> str | None:
    return message(entry) if callable(message) else message


def _list_view(screen: CatalogueScreen) -> Callable[[], Any]:
    def view():
        return render_template("admin/catalogue/list.html", screen=screen, entries=screen.list())

    return view


def _new_view(screen: CatalogueScreen) -> Callable[[], Any]:
    def view():
        form = screen.form(None)
        if done := submit(
            form,
            lambda: screen.create(form, current_user),
            success=lambda entry: _text(screen.created, entry),
            redirect_to=url_for(screen.endpoint()),
        ):
            return done
        return render_template(screen.form_template, screen=screen, form=form, entry=None)

    return view


def _edit_view(screen: CatalogueScreen) -> Callable[[int], Any]:
    def view(entry_id: int):
        entry = screen.get(entry_id)
        form = screen.form(entry)
        if done := submit(
            form,
            lambda: screen.update(entry, form, current_user),
            success=lambda saved: _text(screen.saved, saved),
            redirect_to=url_for(screen.endpoint()),
        ):
            return done
        return render_template(screen.form_template, screen=screen, form=form, entry=entry)

    return view


def _state_view(
    screen: CatalogueScreen, call: Callable[[Any, Any], Any], message: Message
) -> Callable[[int], Any]:
    """Retire or reinstate: idempotent, so a second post (double click, back and resend)
    leaves the entry as the first one did."""

    def view(entry_id: int):
        entry = screen.get(entry_id)
        return submit(
            FlaskForm(),
            lambda: call(entry, current_user),
            success=lambda done: _text(message, done),
            redirect_to=url_for(screen.endpoint()),
            errors_to=url_for(screen.endpoint()),
        )

    return view


def _action_view(screen: CatalogueScreen, action: RowAction) -> Callable[[int], Any]:
    def view(entry_id: int):
        entry = screen.get(entry_id)
        anchor = f"{screen.row_anchor}-{entry.id}" if screen.row_anchor else None
        return submit(
            FlaskForm(),
            lambda: action.call(entry, request.form.get(action.field, ""), current_user),
            success=lambda done: _text(action.success, done),
            redirect_to=url_for(screen.endpoint(), _anchor=anchor),
            errors_to=url_for(screen.endpoint()),
        )

    return view


def _rules(screen: CatalogueScreen) -> list[tuple[str, str, Callable[..., Any], list[str], str | None]]:
    """(path, endpoint, view, methods, old path or None) of each of a screen's routes."""
    new, old = f"/admin/{screen.slug}", screen.moved_from
    rules: list[tuple[str, str, Callable[..., Any], list[str], str | None]] = [
        ("", "", _list_view(screen), ["GET"], ""),
        ("/ny", "new", _new_view(screen), GET_POST, f"/{screen.moved_new}"),
        ("/<int:entry_id>", "edit", _edit_view(screen), GET_POST, "/<int:entry_id>"),
        # The old toggle answers as retire (a stale page's "reinstate" finds the entry retired).
        (
            "/<int:entry_id>/avsluta",
            "retire",
            _state_view(screen, screen.retire, screen.retired),
            ["POST"],
            "/<int:entry_id>/avsluta" if screen.moved_retire else None,
        ),
        (
            "/<int:entry_id>/ateraktivera",
            "reinstate",
            _state_view(screen, screen.reinstate, screen.reinstated),
            ["POST"],
            None,
        ),
        *(
            (
                f"/<int:entry_id>/{a.slug}",
                a.key,
                _action_view(screen, a),
                ["POST"],
                f"/<int:entry_id>/{a.slug}",
            )
            for a in screen.actions
        ),
    ]
    return [
        (
            new + path,
            screen.endpoint(action),
            view,
            methods,
            old + old_path if old and old_path is not None and old + old_path != new + path else None,
        )
        for path, action, view, methods, old_path in rules
    ]


def moved_urls(app: Flask) -> list[tuple[str, str]]:
    """The table of old → new addresses: (old rule, endpoint it now answers as)."""
    return [
        (old, endpoint)
        for screen in catalogue_screens(app).values()
        for _path, endpoint, _view, _methods, old in _rules(screen)
        if old is not None
    ]


def add_catalogue_routes(app: Flask) -> None:
    """Serve every registered catalogue screen (called once the features have registered)."""
    for screen in catalogue_screens(app).values():
        for path, endpoint, view, methods, old in _rules(screen):
            guarded = permission_required(screen.permission)(view)
            app.add_url_rule(path, endpoint, guarded, methods=methods)
            if old is not None:
                app.add_url_rule(old, endpoint, guarded, methods=methods, alias=True)
