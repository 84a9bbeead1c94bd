"""The certificate as a PDF: Chinese text, its number, and a QR code.

Text is set in ReportLab's built-in CID font STSong-Light: PDF readers supply
it themselves, so nothing is downloaded or embedded and the file stays small
(a few kB), which matters on thin rural links. The QR code (ReportLab's own
QR widget, vector, so it prints sharp at any size) holds the URL of the
public verification page.
"""

from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .models import Certificate, Level

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def verification_url(certificate: Certificate) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("courses:certificate_verify", args=[certificate.number])


def qr_drawing(value: str, size: float) -> Drawing:
    """A ``size`` x ``size`` point drawing of a QR code holding ``value``."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _escape(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate, always in Chinese (it is an official document)."""
    with translation.override("zh-hans"):
        return _render(certificate)


def _render(c: Certificate) -> bytes:
    font = _font()
    buffer = BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"{_('Certificate of completion')} {c.number}")
    canvas.setAuthor(c.organiser)
    canvas.setStrokeColor(colors.HexColor("#b3261e"))
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    canvas.setFillColor(colors.HexColor("#b3261e"))
    canvas.setFont(font, 34)
    title = _("Certificate of completion")
    canvas.drawCentredString(width / 2, height - 48 * mm, title)
    canvas.setFillColor(colors.black)

    body = ParagraphStyle(
        "body", fontName=font, fontSize=17, leading=30, wordWrap="CJK"
    )
    level = Level(c.level).label
    text = _(
        "%(name)s (%(school)s) took part in %(programme)s (%(level)s), from "
        "%(start)s to %(end)s, completed the required study and earned "
        "%(hours)s credit hours. This certificate is awarded on completion."
    ) % {
        "name": f"<b>{_escape(c.teacher_name)}</b>",
        "school": _escape(c.school_name or "—"),
        "programme": f"“{_escape(c.programme_title)}”",
        "level": _escape(level),
        "start": _date(c.starts_on),
        "end": _date(c.ends_on),
        "hours": _escape(c.hours.normalize()),
    }
    paragraph = Paragraph(text, body)
    box_width = width - 80 * mm
    _w, h = paragraph.wrap(box_width, height)
    paragraph.drawOn(canvas, 40 * mm, height - 70 * mm - h)

    canvas.setFont(font, 15)
    canvas.drawRightString(width - 45 * mm, 62 * mm, c.organiser)
    canvas.drawRightString(width - 45 * mm, 52 * mm, _date(c.issued_on))

    url = verification_url(c)
    size = 32 * mm
    renderPDF.draw(qr_drawing(url, size), canvas, 30 * mm, 22 * mm)
    canvas.linkURL(url, (30 * mm, 22 * mm, 30 * mm + size, 22 * mm + size))
    canvas.setFont(font, 10)
    canvas.drawString(
        66 * mm, 44 * mm, _("Certificate number: %(number)s") % {"number": c.number}
    )
    canvas.drawString(66 * mm, 37 * mm, _("Scan the code to verify this certificate:"))
    canvas.drawString(66 * mm, 30 * mm, url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


__all__ = ["certificate_pdf", "qr_drawing", "verification_url"]
