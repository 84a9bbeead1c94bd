"""Checks on uploaded evidence and signed scans: by name, by content, by size.

A file is accepted only when its extension is on the list *and* its first
bytes say it is that kind of file, so an HTML or SVG page renamed to .jpg is
refused (both could run script in a browser that opens them).
"""

from dataclasses import dataclass
from pathlib import Path

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

UPLOAD_TYPE_REFUSED = _(
    "“%(name)s” is not an accepted file type. Accepted: %(accepted)s."
)
UPLOAD_CONTENT_MISMATCH = _(
    "“%(name)s” does not contain what its name says; it was not accepted."
)
UPLOAD_TOO_LARGE = _("“%(name)s” is larger than %(size)s.")
UPLOAD_TOO_MANY = _("Upload at most %(count)s files at a time.")


@dataclass(frozen=True)
class Kind:
    """An accepted family of files: extensions -> what filetype must detect."""

    code: str
    extensions: dict[str, tuple[str, ...]]
    max_bytes: int


PHOTO = Kind(
    "photo",
    {
        ".jpg": ("jpg",),
        ".jpeg": ("jpg",),
        ".png": ("png",),
        ".webp": ("webp",),
        ".heic": ("heic",),
    },
    10 * MB,
)
DOCUMENT = Kind(
    "document",
    {
        ".pdf": ("pdf",),
        ".docx": ("docx", "zip"),
        ".xlsx": ("xlsx", "zip"),
        ".pptx": ("pptx", "zip"),
    },
    20 * MB,
)
SCAN = Kind(
    "scan",
    {".pdf": ("pdf",), ".jpg": ("jpg",), ".jpeg": ("jpg",), ".png": ("png",)},
    20 * MB,
)
EVIDENCE_KINDS = (PHOTO, DOCUMENT)
MAX_FILES = 12


def accept_attribute(*kinds: Kind) -> str:
    """The ``accept`` attribute of a file input for these kinds."""
    return ",".join(ext for kind in kinds for ext in kind.extensions)


def _accepted_list(kinds) -> str:
    return "、".join(ext.lstrip(".") for kind in kinds for ext in kind.extensions)


def check_upload(upload, *kinds: Kind) -> Kind:
    """The kind ``upload`` belongs to, or a ValidationError saying why not."""
    name = Path(upload.name).name
    suffix = Path(name).suffix.lower()
    kind = next((k for k in kinds if suffix in k.extensions), None)
    if kind is None:
        raise ValidationError(
            UPLOAD_TYPE_REFUSED,
            code="type",
            params={"name": name, "accepted": _accepted_list(kinds)},
        )
    if upload.size > kind.max_bytes:
        raise ValidationError(
            UPLOAD_TOO_LARGE,
            code="size",
            params={"name": name, "size": filesizeformat(kind.max_bytes)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    if detected is None or detected.extension not in kind.extensions[suffix]:
        raise ValidationError(
            UPLOAD_CONTENT_MISMATCH, code="content", params={"name": name}
        )
    return kind


def check_uploads(uploads, *kinds: Kind) -> list[tuple[object, Kind]]:
    """Every upload checked; all errors at once."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            UPLOAD_TOO_MANY, code="count", params={"count": MAX_FILES}
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload, *kinds)))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return checked
