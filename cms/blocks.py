"""StreamField blocks of the catalog's pages; each renders its own template.

No block loads anything from another site: videos are uploaded files played
by the browser's own player (``preload="none"``, so nothing downloads until
the viewer presses play), images are served as sized renditions.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Rich text")
        template = "blocks/paragraph.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)
    alt = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        max_length=200,
        help_text=_("What the image shows, for readers who cannot see it."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=200,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document.html"


class VideoBlock(blocks.StructBlock):
    """An uploaded video (MP4), not an embed: no third-party player or site."""

    video = DocumentChooserBlock(
        label=_("Video file"), help_text=_("An MP4 file uploaded as a document.")
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"


class SessionBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    time = blocks.CharBlock(
        label=_("Time"), required=False, max_length=40, help_text="08:30–11:30"
    )
    topic = blocks.CharBlock(label=_("Session"), max_length=200)
    speaker = blocks.CharBlock(label=_("Speaker"), required=False, max_length=100)
    place = blocks.CharBlock(label=_("Place"), required=False, max_length=100)

    class Meta:
        icon = "date"
        label = _("Session")


class ScheduleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=100)
    sessions = blocks.ListBlock(SessionBlock(), label=_("Sessions"))

    class Meta:
        icon = "table"
        label = _("Schedule")
        template = "blocks/schedule.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = ParagraphBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=100)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "blocks/faq.html"


class BodyBlock(blocks.StreamBlock):
    """The body of programme, news, notice and studio pages."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    schedule = ScheduleBlock()
    faq = FAQBlock()
