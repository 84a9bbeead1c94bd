"""The bureau's permissions on courses and lessons (see 0002 for why here)."""

from django.db import migrations

GRANTS = {
    "bureau_reviewer": {
        "course": ("view", "add", "change", "delete"),
        "lesson": ("view", "add", "change", "delete"),
        "certificate": ("view",),
    },
    "platform_admin": {
        "course": ("view", "add", "change", "delete"),
        "lesson": ("view", "add", "change", "delete"),
        "certificate": ("view", "change"),
    },
}


def _permission(apps, model_name, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = apps.get_model("courses", model_name)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="courses", model=model_name
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model_name}",
        defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"[:255]},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model_name, actions in models.items():
            group.permissions.add(*(_permission(apps, model_name, a) for a in actions))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in GRANTS.items():
        for group in Group.objects.filter(name=group_name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="courses",
                    content_type__model__in=list(models),
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_courses_lessons_certificates"),
        ("accounts", "0003_roles_and_honours"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
