"""Masking and digesting of personal information (PIPL: keep only what is needed).

The platform never stores a resident ID number: it keeps a keyed digest, to
match the same person across imports, and a masked form for display.
"""

import hashlib
import hmac

from django.conf import settings


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_id_number(id_number: str) -> str:
    """510623199001011234 -> 510623********1234."""
    if not id_number:
        return ""
    return f"{id_number[:6]}{'*' * (len(id_number) - 10)}{id_number[-4:]}"


def id_number_digest(id_number: str) -> str:
    key = (settings.PII_DIGEST_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, id_number.upper().encode(), hashlib.sha256).hexdigest()
