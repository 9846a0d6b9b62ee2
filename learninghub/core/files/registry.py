"""Which app owns a stored file, and its rule for who may download it.

The core keeps files for every app but imports none of them (the import contract), so each
app registers, for its owner model, the rule that decides a download and how the audit log
names the events. A file whose owner type registered nothing is downloadable by nobody: deny
by default, so a new app's files never leak before it has said who may read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FileOwner:
    # (user, stored_file) -> bool. Answers for the owner record, as the app's own pages do.
    can_download: Callable[[Any, Any], bool]
    # The audit actions are "<action_prefix>.upload" and "<action_prefix>.download".
    action_prefix: str = "files.file"
    # (verb, file_version) -> the audit summary, verb being "Uploaded" or "Downloaded".
    describe: Callable[[str, Any], str] | None = None

    def summary(self, verb: str, version) -> str:
        if self.describe is not None:
            return self.describe(verb, version)
        return f"{verb} {version.stored_file.title} (version {version.number})"


_OWNERS: dict[str, FileOwner] = {}


def register(model_label: str, owner: FileOwner) -> None:
    """Register the owner rules for a model, by its label ("reviews.document")."""
    _OWNERS[model_label.lower()] = owner


def unregister(model_label: str) -> None:
    _OWNERS.pop(model_label.lower(), None)


def owner_for(stored_file) -> FileOwner | None:
    content_type = stored_file.owner_type
    return _OWNERS.get(f"{content_type.app_label}.{content_type.model}")
