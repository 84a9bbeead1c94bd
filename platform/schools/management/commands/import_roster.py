"""manage.py import_roster FILE [--dry-run]: import regions, schools, teachers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schools.roster.columns import KINDS, SHEET_NAMES
from schools.services import roster_import_file


class Command(BaseCommand):
    help = (
        "Import a roster (.xlsx with sheets 地区/学校/教师, or a .csv of one kind). "
        "All or nothing: with any error nothing is written, every error is "
        "printed and the exit code is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the counts without writing",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        result = roster_import_file(
            path_or_file=file, filename=file.name, dry_run=dry_run
        )
        for kind in KINDS:
            counts = result.counts[kind]
            self.stdout.write(
                _(
                    "%(sheet)s: %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged"
                )
                % {"sheet": SHEET_NAMES[kind], **counts}
            )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s errors; nothing was imported.")
                % {"count": len(result.errors)},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
