"""The one way a stored file leaves the service: a permission check the owning app answers,
never a public URL, decrypted only for the person allowed to have it."""

from __future__ import annotations

import io
import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from learninghub.core.audit.auditor import Auditor

from . import selectors
from .checks import safe_filename
from .registry import owner_for

logger = logging.getLogger(__name__)


@login_required
@require_safe
def file_download(request: HttpRequest, version_pk: int) -> HttpResponse:
    version = selectors.version_for_download(user=request.user, pk=version_pk)
    try:
        content = selectors.version_content(version=version)
    except selectors.FileUnreadable:
        logger.exception("File version %s cannot be served", version.pk)
        return render(
            request,
            "core/error.jinja",
            {
                "title": "This document cannot be opened",
                "message": "The stored copy of this document could not be read. Contact your "
                f"system administrator and give them this number: {version.pk}.",
            },
            status=500,
        )
    if version.stored_file.restricted:
        # Every read of restricted material is in the audit log (design.md, Visibility).
        owner = owner_for(version.stored_file)
        Auditor.from_request(request).read(
            version,
            action=f"{owner.action_prefix}.download",
            summary=owner.summary("Downloaded", version),
        )
    # An attachment, under the uploaded name cleaned again (a name stored before the upload
    # checks cleaned it could carry a line break into the header), with the type recorded at
    # upload and nosniff, so a browser never renders it as a page of this site.
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=safe_filename(version.original_name),
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
