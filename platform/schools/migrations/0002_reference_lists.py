from django.db import migrations

SUBJECTS = [
    # code, 中文, English, shortage subject (国培 priority)
    ("chinese", "语文", "Chinese", False),
    ("math", "数学", "Mathematics", False),
    ("english", "英语", "English", True),
    ("physics", "物理", "Physics", False),
    ("chemistry", "化学", "Chemistry", False),
    ("biology", "生物", "Biology", False),
    ("history", "历史", "History", False),
    ("geography", "地理", "Geography", False),
    ("morality", "道德与法治", "Morality and Law", False),
    ("politics", "思想政治", "Politics", False),
    ("science", "科学", "Science", True),
    ("pe", "体育", "Physical Education", True),
    ("music", "音乐", "Music", True),
    ("art", "美术", "Art", True),
    ("it", "信息技术", "Information Technology", False),
    ("practice", "综合实践", "Comprehensive Practice", True),
    ("psychology", "心理健康", "Mental Health", False),
    ("preschool", "学前教育", "Preschool Education", False),
    ("special", "特殊教育", "Special Education", False),
    ("management", "学校管理", "School Management", False),
]

STAGES = [
    ("preschool", "学前", "Preschool"),
    ("primary", "小学", "Primary"),
    ("junior", "初中", "Junior secondary"),
    ("senior", "高中", "Senior secondary"),
    ("vocational", "中职", "Vocational"),
]


def load(apps, schema_editor):
    Subject = apps.get_model("schools", "Subject")
    Stage = apps.get_model("schools", "Stage")
    for i, (code, zh, en, shortage) in enumerate(SUBJECTS):
        Subject.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "is_shortage": shortage,
                      "sort_order": i},
        )
    for i, (code, zh, en) in enumerate(STAGES):
        Stage.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": i}
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
