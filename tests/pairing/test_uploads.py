"""Evidence and scans are checked by name, content and size."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pairing.uploads import (
    DOCUMENT,
    MAX_FILES,
    MB,
    PHOTO,
    SCAN,
    UPLOAD_CONTENT_MISMATCH,
    UPLOAD_TOO_LARGE,
    UPLOAD_TOO_MANY,
    UPLOAD_TYPE_REFUSED,
    check_upload,
    check_uploads,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64
PDF = b"%PDF-1.7\n" + b"\0" * 64
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("a.png", PNG, PHOTO), ("课堂.JPG", JPEG, PHOTO), ("教案.pdf", PDF, DOCUMENT)],
)
def test_accepted(name, content, kind):
    assert check_upload(upload(name, content), PHOTO, DOCUMENT) is kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.svg", SVG, "type"),
        ("a.html", HTML, "type"),
        ("a.htm", HTML, "type"),
        ("a.exe", b"MZ" + b"\0" * 64, "type"),
        ("a.jpg", HTML, "content"),  # script renamed to a photo
        ("a.png", SVG, "content"),
        ("a.pdf", PNG, "content"),
    ],
)
def test_refused(name, content, code):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content), PHOTO, DOCUMENT)
    assert exc.value.code == code


def test_messages_name_the_file():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("页面.html", HTML), PHOTO)
    assert exc.value.message == UPLOAD_TYPE_REFUSED
    assert exc.value.params["name"] == "页面.html"
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("x.jpg", HTML), PHOTO)
    assert exc.value.message == UPLOAD_CONTENT_MISMATCH


def test_size_limits():
    big = upload("big.png", PNG + b"\0" * (10 * MB))
    with pytest.raises(ValidationError) as exc:
        check_upload(big, PHOTO)
    assert exc.value.message == UPLOAD_TOO_LARGE
    # A scan may be larger than a photo.
    assert check_upload(upload("scan.png", PNG + b"\0" * (10 * MB)), SCAN) is SCAN


def test_all_errors_at_once_and_file_count():
    with pytest.raises(ValidationError) as exc:
        check_uploads([upload("a.svg", SVG), upload("b.jpg", HTML)], PHOTO)
    assert len(exc.value.error_list) == 2
    with pytest.raises(ValidationError) as exc:
        check_uploads([upload(f"{i}.png", PNG) for i in range(MAX_FILES + 1)], PHOTO)
    assert exc.value.message == UPLOAD_TOO_MANY
