"""Audience reference lists, and the bureau's permissions on programmes.

School categories mirror schools.School.Category (same codes). Model
permissions are created here because Django only creates them after every
migration has run (see accounts 0004).
"""

from django.db import migrations

SCHOOL_CATEGORIES = [
    ("urban", "城区学校", "Urban school"),
    ("township", "乡镇学校", "Township school"),
    ("village", "村小", "Village school"),
    ("teaching_point", "教学点", "Teaching point"),
]
TARGET_ROLES = [
    ("teacher", "一线教师", "Teachers"),
    ("backbone", "骨干教师", "Backbone teachers"),
    ("principal", "校长（园长）", "Principals"),
    ("mentor", "导师", "Mentor teachers"),
]
GRANTS = {
    "bureau_reviewer": {
        "programme": ("view", "add", "change"),
    },
    "platform_admin": {
        "programme": ("view", "add", "change", "delete"),
        "programmequota": ("view", "add", "change", "delete"),
        "schoolcategory": ("view",),
        "targetrole": ("view",),
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


def load(apps, schema_editor):
    SchoolCategory = apps.get_model("courses", "SchoolCategory")
    TargetRole = apps.get_model("courses", "TargetRole")
    for model, rows in ((SchoolCategory, SCHOOL_CATEGORIES), (TargetRole, TARGET_ROLES)):
        for i, (code, zh, en) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": i}
            )
    Group = apps.get_model("auth", "Group")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model_name, actions in models.items():
            group.permissions.add(
                *(_permission(apps, model_name, a) for a in actions)
            )


def unload(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0003_roles_and_honours"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(load, unload)]
