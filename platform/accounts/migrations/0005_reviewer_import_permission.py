"""Roster import permissions: reviewers upload, platform admins do everything.

0004 grants them only where the ImportJob model already exists; this runs
after the model's migration, so every database ends with the same
permissions.
"""

from django.db import migrations

REVIEWER = ("add",)
PLATFORM_ADMIN = ("add", "change", "delete", "view")


def _permissions(apps, actions, create):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    if not create:
        return list(
            Permission.objects.filter(
                content_type__app_label="schools",
                codename__in=[f"{a}_importjob" for a in actions],
            )
        )
    content_type, _ = ContentType.objects.get_or_create(
        app_label="schools", model="importjob"
    )
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_importjob",
            defaults={"name": f"Can {action} roster import"},
        )[0]
        for action in actions
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reviewer, _ = Group.objects.get_or_create(name="bureau_reviewer")
    reviewer.permissions.add(*_permissions(apps, REVIEWER, create=True))
    platform_admin, _ = Group.objects.get_or_create(name="platform_admin")
    platform_admin.permissions.add(*_permissions(apps, PLATFORM_ADMIN, create=True))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="bureau_reviewer"):
        group.permissions.remove(*_permissions(apps, REVIEWER, create=False))
    for group in Group.objects.filter(name="platform_admin"):
        group.permissions.remove(*_permissions(apps, PLATFORM_ADMIN, create=False))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_permissions"),
        ("schools", "0003_importjob"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
