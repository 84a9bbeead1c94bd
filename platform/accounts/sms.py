"""Pluggable SMS backends (settings.SMS_BACKEND), like Django's email backends.

A bureau plugs in its provider (Aliyun SMS, Tencent Cloud SMS, ...) by
writing a class with ``send(phone, message)`` and naming it in SMS_BACKEND.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages sent through LocmemBackend, for tests (like mail.outbox).
outbox: list[dict] = []


class BaseBackend:
    def send(self, phone: str, message: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: print the message instead of sending it."""

    def send(self, phone: str, message: str) -> None:
        logger.warning("SMS to %s: %s", phone, message)
        print(f"[SMS to {phone}] {message}", flush=True)


class LocmemBackend(BaseBackend):
    def send(self, phone: str, message: str) -> None:
        outbox.append({"phone": phone, "message": message})


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, message: str) -> None:
    get_backend().send(phone, message)
