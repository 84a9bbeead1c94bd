"""The site-wide review workflow and the content stamp.

Every page under the home page is reviewed before it is published: by the
platform admins, unless a bureau section has its own region's workflow (set
by cms.services.section_setup, which assigns the region's approvers).
"""

import uuid

from django.db import migrations

WORKFLOW_NAME = "内容审核"
TASK_NAME = "平台管理员审核"


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HomePage = apps.get_model("cms", "HomePage")
    ContentStamp = apps.get_model("cms", "ContentStamp")

    ContentStamp.objects.get_or_create(
        name="content", defaults={"token": uuid.uuid4().hex}
    )
    admins, _ = Group.objects.get_or_create(name="platform_admin")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.add(admins)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    for home in HomePage.objects.all():
        WorkflowPage.objects.update_or_create(
            page_id=home.pk, defaults={"workflow": workflow}
        )


def remove(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(
        name=WORKFLOW_NAME
    ).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_catalog_pages"),
        ("accounts", "0003_roles_and_honours"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create, remove)]
