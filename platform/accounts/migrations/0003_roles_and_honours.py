from django.db import migrations

ROLES = ["rural_teacher", "mentor", "school_admin", "bureau_reviewer", "platform_admin"]

HONOURS = [
    ("special_grade", "特级教师", "Special-grade teacher"),
    ("subject_leader", "学科带头人", "Subject leader"),
    ("backbone", "骨干教师", "Backbone teacher"),
    ("teaching_expert", "教学能手", "Teaching expert"),
    ("famous_teacher", "名师", "Famous teacher"),
    ("famous_principal", "名校长", "Famous principal"),
]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Honour = apps.get_model("accounts", "Honour")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for i, (code, zh, en) in enumerate(HONOURS):
        Honour.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": i}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
