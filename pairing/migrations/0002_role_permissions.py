"""The bureau's permissions on pairing screens (see accounts 0004 for why
permissions are created here rather than left to post_migrate).

- bureau_reviewer: profiles, pairings and cross-region links: view, add,
  change; matching runs: view, add; proposals: view, change;
- platform_admin: every permission on every pairing model.
"""

from django.db import migrations

ACTIONS = ("view", "add", "change", "delete")
REVIEWER = {
    "needprofile": ("view", "add", "change"),
    "helperprofile": ("view", "add", "change"),
    "pairing": ("view", "add", "change"),
    "crossregionlink": ("view", "add", "change"),
    "matchingrun": ("view", "add"),
    "matchproposal": ("view", "change"),
}


def _permission(apps, model_name, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = apps.get_model("pairing", model_name)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="pairing", model=model_name
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model_name}",
        defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"[:255]},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reviewer, _ = Group.objects.get_or_create(name="bureau_reviewer")
    for model_name, actions in REVIEWER.items():
        reviewer.permissions.add(*(_permission(apps, model_name, a) for a in actions))
    platform_admin, _ = Group.objects.get_or_create(name="platform_admin")
    for model in apps.get_app_config("pairing").get_models():
        platform_admin.permissions.add(
            *(_permission(apps, model._meta.model_name, a) for a in ACTIONS)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    pairing = Permission.objects.filter(content_type__app_label="pairing")
    for group in Group.objects.filter(name__in=["bureau_reviewer", "platform_admin"]):
        group.permissions.remove(*pairing)


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0001_initial"),
        ("accounts", "0003_roles_and_honours"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
