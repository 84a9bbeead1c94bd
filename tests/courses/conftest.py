import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese():
    # Error messages are checked in the default language (Chinese), whatever
    # language an earlier request in the run activated.
    with translation.override("zh-hans"):
        yield
