"""Writes on accounts that carry rules."""

from .models import PersonalDataAccessLog

SUBJECT_MAX = PersonalDataAccessLog._meta.get_field("subject").max_length


def personal_data_access_record(
    *, user, action: str, subject: str, row_count: int
) -> PersonalDataAccessLog:
    """Log who exported or viewed unmasked personal data, and how much (PIPL)."""
    entry = PersonalDataAccessLog(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        subject=subject[:SUBJECT_MAX],
        row_count=row_count,
    )
    entry.full_clean()
    entry.save()
    return entry
