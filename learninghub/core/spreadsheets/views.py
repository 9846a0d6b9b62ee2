"""The import's pages, for every registered importer: upload, columns, check, result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import require

from . import importing, selectors, services
from .forms import MappingForm, UploadForm
from .reading import read_table

PREVIEW_ROWS = 20
EXPIRED = "That upload is more than a day old. Upload the file again"


def _importer(request: HttpRequest, name: str) -> tuple[importing.Importer, object]:
    """The importer and the partnership the person is working in, if they may import there."""
    importer = importing.get(name)
    partnership = getattr(request.user, "current_partnership", None)
    if importer is None or partnership is None:
        raise Http404
    require(request, importer.permission, partnership)
    return importer, partnership


def _upload(request: HttpRequest, importer: importing.Importer, pk: int):
    upload = selectors.import_upload_for(request.user, importer=importer.name, pk=pk)
    if upload is None:
        raise Http404
    require(request, importer.permission, upload.partnership)
    return upload


def _step(name: str, upload) -> dict:
    return {"name": name, "pk": upload.pk}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, name: str) -> HttpResponse:
    importer, partnership = _importer(request, name)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            table = read_table(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            upload = services.import_upload_create(
                auditor=Auditor.from_request(request),
                importer=importer,
                partnership=partnership,
                filename=form.cleaned_data["file"].name,
                table=table,
                mapping=importing.guess_mapping(importer, table.headers),
            )
            return redirect("core:import_map", **_step(name, upload))
    return render(
        request,
        "core/import_upload.jinja",
        {"importer": importer, "partnership": partnership, "form": form},
    )


def _usable(request: HttpRequest, name: str, upload) -> HttpResponse | None:
    """Where to go instead when the upload cannot be continued: done, or too old."""
    if upload.completed_at is not None:
        return redirect("core:import_result", **_step(name, upload))
    if upload.expired:
        messages.error(request, EXPIRED)
        return redirect("core:import_upload", name=name)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    importer, _ = _importer(request, name)
    upload = _upload(request, importer, pk)
    if (elsewhere := _usable(request, name, upload)) is not None:
        return elsewhere
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        importer=importer,
        headers=upload.headers,
        initial={k: v or "" for k, v in upload.mapping.items()},
    )
    if request.method == "POST" and form.is_valid():
        services.import_upload_map(
            auditor=Auditor.from_request(request), upload=upload, mapping=form.mapping
        )
        return redirect("core:import_preview", **_step(name, upload))
    return render(
        request, "core/import_map.jinja", {"importer": importer, "upload": upload, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    importer, _ = _importer(request, name)
    upload = _upload(request, importer, pk)
    if (elsewhere := _usable(request, name, upload)) is not None:
        return elsewhere
    if importing.mapping_errors(importer, upload.headers, upload.mapping):
        return redirect("core:import_map", **_step(name, upload))
    refused = []
    if request.method == "POST":
        try:
            services.import_upload_run(
                auditor=Auditor.from_request(request), upload=upload, importer=importer
            )
        except importing.ImportRefused as error:
            refused = error.errors
        except ValidationError as error:
            refused = [importing.RowError(None, importer.title, m) for m in error.messages]
        else:
            return redirect("core:import_result", **_step(name, upload))
    checked = importing.check(importer, upload.table, upload.mapping)
    errors = checked.errors or refused
    return render(
        request,
        "core/import_preview.jinja",
        {
            "importer": importer,
            "upload": upload,
            "checked": checked,
            "errors": errors,
            "preview": _preview_rows(importer, checked.rows[:PREVIEW_ROWS]),
        },
    )


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    if hasattr(value, "label"):
        return str(value.label)
    return str(value)


def _preview_rows(importer: importing.Importer, rows) -> list[list[dict]]:
    return [
        [{"text": str(number)}]
        + [
            {"text": _display(values.get(f.name)), "classes": "govuk-!-text-break-word"}
            for f in importer.fields
        ]
        for number, values in rows
    ]


@login_required
@require_safe
def import_result(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    importer, _ = _importer(request, name)
    upload = _upload(request, importer, pk)
    if upload.completed_at is None:
        return redirect("core:import_preview", **_step(name, upload))
    return render(request, "core/import_result.jinja", {"importer": importer, "upload": upload})
