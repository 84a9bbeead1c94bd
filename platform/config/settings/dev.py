"""Local development: debug on, throwaway secret, any local host."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
PII_DIGEST_KEY = env("PII_DIGEST_KEY", default=SECRET_KEY)
