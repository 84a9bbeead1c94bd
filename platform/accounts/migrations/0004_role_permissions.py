"""Give each role's group its admin permissions.

Django creates model permissions in post_migrate, after every migration has
run, so on a fresh database they do not exist yet here: this migration
creates the ones it grants (get_or_create, so running it again, or Django's
own post_migrate afterwards, changes nothing).

- bureau_reviewer: admin access; view/add/change schools, studios and
  teachers; view regions (and add roster imports, once that model exists);
- platform_admin: admin access; every permission on the accounts and schools
  models, users included;
- school_admin, mentor, rural_teacher: no admin access (they use the site).
"""

from django.db import migrations

ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
ACTIONS = ("add", "change", "delete", "view")

REVIEWER = {
    ("schools", "school"): ("view", "add", "change"),
    ("schools", "studio"): ("view", "add", "change"),
    ("schools", "region"): ("view",),
    ("accounts", "teacher"): ("view", "add", "change"),
    # The roster import; granted only if its model exists at migrate time.
    ("schools", "importjob"): ("add",),
}
PLATFORM_ADMIN_APPS = ("accounts", "schools")
NO_ADMIN_ROLES = ("school_admin", "mentor", "rural_teacher")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name[:255]}
    )
    return permission


def _existing(apps, permissions):
    # (app_label, codename) pairs -> Permission rows, creating none.
    Permission = apps.get_model("auth", "Permission")
    rows = []
    for app_label, codename in permissions:
        rows += Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    return rows


def _model_permissions(apps, app_label, model_name, actions):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return []
    verbose_name = model._meta.verbose_name_raw
    return [
        _permission(
            apps,
            app_label,
            model._meta.model_name,
            f"{action}_{model._meta.model_name}",
            f"Can {action} {verbose_name}",
        )
        for action in actions
    ]


def _reviewer_permissions(apps):
    perms = [_permission(apps, *ACCESS_ADMIN)]
    for (app_label, model_name), actions in REVIEWER.items():
        perms += _model_permissions(apps, app_label, model_name, actions)
    return perms


def _platform_admin_permissions(apps):
    perms = [_permission(apps, *ACCESS_ADMIN)]
    for app_label in PLATFORM_ADMIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            perms += _model_permissions(
                apps, app_label, model._meta.model_name, ACTIONS
            )
    return perms


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reviewer, _ = Group.objects.get_or_create(name="bureau_reviewer")
    reviewer.permissions.add(*_reviewer_permissions(apps))
    platform_admin, _ = Group.objects.get_or_create(name="platform_admin")
    platform_admin.permissions.add(*_platform_admin_permissions(apps))
    access_admin = _permission(apps, *ACCESS_ADMIN)
    for group in Group.objects.filter(name__in=NO_ADMIN_ROLES):
        group.permissions.remove(access_admin)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    access = [("wagtailadmin", "access_admin")]
    reviewer = access + [
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in REVIEWER.items()
        for action in actions
    ]
    platform_admin = access + [
        (app_label, f"{action}_{model._meta.model_name}")
        for app_label in PLATFORM_ADMIN_APPS
        for model in apps.get_app_config(app_label).get_models()
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name="bureau_reviewer"):
        group.permissions.remove(*_existing(apps, reviewer))
    for group in Group.objects.filter(name="platform_admin"):
        group.permissions.remove(*_existing(apps, platform_admin))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_and_honours"),
        ("schools", "0002_reference_lists"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
