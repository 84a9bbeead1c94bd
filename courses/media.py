"""Lesson media served with HTTP range requests (RFC 9110 §14).

Phones seek in a video and resume broken downloads by asking for byte
ranges; without 206 responses a player must fetch the whole file from the
start on every seek, which a thin rural link cannot afford. One range per
request is served (what players ask for); several ranges get the whole file.
Files on object storage are redirected to a short-lived signed URL instead:
the storage serves ranges itself.
"""

import mimetypes
import re

from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single satisfiable range; None for no (or an
    ignorable) Range header; False for an unsatisfiable one."""
    match = _RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _chunks(fh, start: int, length: int):
    try:
        fh.seek(start)
        left = length
        while left > 0:
            data = fh.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        fh.close()


def ranged_file_response(request, fieldfile, *, filename: str = "") -> HttpResponse:
    """``fieldfile`` as a 200 or 206 response, or a redirect to storage."""
    if not isinstance(fieldfile.storage, FileSystemStorage):
        return HttpResponseRedirect(fieldfile.url)
    size = fieldfile.size
    content_type = mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    fh = fieldfile.storage.open(fieldfile.name, "rb")
    if wanted is None:
        start, end, status = 0, size - 1, 200
    else:
        (start, end), status = wanted, 206
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(
        _chunks(fh, start, length), status=status, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        from django.utils.http import content_disposition_header  # noqa: PLC0415

        response["Content-Disposition"] = content_disposition_header(False, filename)
    # Private to the learner: caches must not keep or share it.
    response["Cache-Control"] = "private, max-age=3600"
    return response
