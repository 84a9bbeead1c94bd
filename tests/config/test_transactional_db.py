"""Transactional tests must not take the data migrations' rows with them.

Ask for the ``transactional_db`` fixture (tests/conftest.py), not the
``django_db(transaction=True)`` marker: the fixture restores the rows.
"""

from django.contrib.auth.models import Group

from schools.models import Subject


def test_a_transactional_test_sees_reference_data(transactional_db):
    assert Subject.objects.filter(name_zh="数学").exists()
    Subject.objects.all().delete()


def test_reference_data_is_back_after_a_transactional_test(transactional_db):
    # Runs after the test above (pytest-django keeps file order among
    # transactional tests, which all run after the others).
    assert Subject.objects.filter(name_zh="数学").exists()
    assert Group.objects.filter(name="bureau_reviewer").exists()
