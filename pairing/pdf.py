"""The agreement (帮扶协议书) with its target task book (目标任务书) as a PDF.

Always in Chinese, whatever the reader's language: it is the document both
sides sign. Text is set in ReportLab's built-in CID font STSong-Light, which
PDF readers supply themselves, so nothing is downloaded or embedded.
"""

from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepTogether

from .models import Need, Pairing

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle(
        "body", fontName=font, fontSize=11, leading=18, wordWrap="CJK"
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER
        ),
        "h2": ParagraphStyle("h2", parent=base, fontSize=14, leading=22, spaceBefore=8),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # Names come from the database: escape what Paragraph reads as markup.
    safe = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(safe, style)


def _table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), _font(), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _helper_line(pairing: Pairing) -> str:
    if pairing.helper_studio_id:
        studio = pairing.helper_studio
        return f"{studio.name}（{studio.host_school.name}）"
    if pairing.helper_teacher_id:
        teacher = pairing.helper_teacher
        school = teacher.school.name if teacher.school_id else ""
        return f"{teacher.display_name}（{school}）" if school else teacher.display_name
    return pairing.helper_school.name


def _partner_line(pairing: Pairing) -> str:
    names = [s.name for s in pairing.partner_schools.all()]
    for teacher in pairing.partner_teachers.all():
        school = teacher.school.name if teacher.school_id else ""
        names.append(
            f"{teacher.display_name}（{school}）" if school else teacher.display_name
        )
    return "、".join(names)


def agreement_pdf(pairing: Pairing) -> bytes:
    """The signed-to-be agreement of ``pairing`` with its targets."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(pairing)


def _build(pairing: Pairing) -> bytes:
    s = _styles()
    cell = s["cell"]
    story = [
        _p(_("Pairing assistance agreement"), s["title"]),
        _p(_("with the target task book"), s["subtitle"]),
        Spacer(1, 6 * mm),
        _p(
            _("Party A (helping side): %(name)s") % {"name": _helper_line(pairing)},
            s["body"],
        ),
        _p(
            _("Party B (helped side): %(name)s") % {"name": _partner_line(pairing)},
            s["body"],
        ),
        Spacer(1, 3 * mm),
    ]
    facts = [
        [_p(_("Kind"), cell), _p(pairing.get_kind_display(), cell)],
        [_p(_("Pairing mode"), cell), _p(pairing.get_mode_display(), cell)],
        [
            _p(_("Cycle"), cell),
            _p(
                _("%(start)s to %(end)s")
                % {
                    "start": f"{pairing.start_date:%Y-%m-%d}",
                    "end": f"{pairing.end_date:%Y-%m-%d}",
                },
                cell,
            ),
        ],
        [
            _p(_("Cross-region"), cell),
            _p(_("Yes") if pairing.cross_region else _("No"), cell),
        ],
    ]
    mentors = [m.display_name for m in pairing.mentors.all()]
    if mentors:
        facts.append([_p(_("Mentors"), cell), _p("、".join(mentors), cell)])
    table = Table(facts, colWidths=[35 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]

    needs = list(
        Need.objects.filter(profile__school__in=pairing.partner_schools.all())
        .select_related("profile__school", "subject", "stage")
        .order_by("profile__school__code", "-priority")
    )
    if needs:
        story.append(_p(_("Needs declared by Party B"), s["h2"]))
        rows = [[_p(h, cell) for h in (_("School"), _("Need"), _("Priority"))]]
        rows += [
            [
                _p(n.profile.school.name, cell),
                _p(
                    f"{n.stage.name_zh}{n.subject.name_zh}（{n.get_kind_display()}）",
                    cell,
                ),
                _p(n.get_priority_display(), cell),
            ]
            for n in needs
        ]
        story += [_table(rows, [60 * mm, 75 * mm, 30 * mm]), Spacer(1, 4 * mm)]

    story.append(_p(_("Terms"), s["h2"]))
    terms = [
        _(
            "The two sides work from Party B's declared needs: send what is "
            "needed, not what happens to be available."
        ),
        _(
            "The pairing holds for the whole cycle without interruption; neither "
            "side ends it early without the education bureau's approval."
        ),
        _(
            "The two sides interact at least once per semester: school "
            "philosophy, campus culture, curriculum reform, demonstration or open "
            "lessons, teaching evaluation."
        ),
        _(
            "Progress is reported every month; every quarter both sides summarise "
            "and report against the targets below, and take part in the bureau's "
            "liaison meetings, inspections and evaluations."
        ),
        _(
            "Every target is directed, timed, assigned to a person and "
            "quantified; the person responsible sees it done by its due date."
        ),
    ]
    for number, term in enumerate(terms, start=1):
        story.append(_p(f"{number}. {term}", s["body"]))

    story.append(_p(_("Target task book"), s["h2"]))
    rows = [
        [
            _p(h, cell)
            for h in (
                _("No."),
                _("Indicator"),
                _("Quantity"),
                _("Due date"),
                _("Responsible person"),
            )
        ]
    ]
    for number, target in enumerate(pairing.targets.all(), start=1):
        rows.append(
            [
                _p(str(number), cell),
                _p(target.indicator, cell),
                _p(f"{target.quantity} {target.get_unit_display()}", cell),
                _p(f"{target.due_date:%Y-%m-%d}", cell),
                _p(
                    target.responsible.display_name if target.responsible else "—",
                    cell,
                ),
            ]
        )
    if len(rows) == 1:
        rows.append([_p("—", cell)] * 5)
    story += [
        _table(rows, [12 * mm, 70 * mm, 25 * mm, 28 * mm, 30 * mm]),
        Spacer(1, 10 * mm),
    ]

    signature = Table(
        [
            [
                _p(_("Party A (seal)"), cell),
                _p(_("Party B (seal)"), cell),
                _p(_("Witness: education bureau (seal)"), cell),
            ],
            [_p(_("Representative:"), cell)] * 2 + [_p("", cell)],
            [_p(_("Date:"), cell)] * 3,
        ],
        colWidths=[55 * mm] * 3,
        rowHeights=[10 * mm, 14 * mm, 10 * mm],
    )
    story.append(KeepTogether([signature]))

    buffer = BytesIO()
    title = _("Pairing assistance agreement")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.WAGTAIL_SITE_NAME,
        subject=str(pairing),
    )
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(_font(), 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()
