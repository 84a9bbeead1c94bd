"""Editorial set-up: who may write and who approves each bureau's pages.

Each bureau region with a section (a catalog, news, notices or studios page)
has an :class:`~cms.models.EditorialDesk`: an editors group that may add and
edit pages there, an approvers group that may also publish, and a workflow
whose task the approvers perform. Permissions are Wagtail's own
``GroupPagePermission`` rows on the section pages, so they cover the section's
subtree and nothing else: a county's editors never touch the province's
国培 and 省培 catalogs, nor another county's.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import Role
from schools.models import Region

from .models import BureauSection, EditorialDesk

EDITOR_PAGE_PERMISSIONS = ("add", "change", "lock")
APPROVER_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
# Editors upload and pick images and documents (attachments, pictures).
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add", "choose")),
    ("wagtaildocs", "document", ("add", "choose")),
)
NOT_A_BUREAU_USER = _("Only a bureau user with a region can edit the region's pages.")
NOT_A_SECTION = _("Only catalog, news, notice and studio sections have a bureau.")


def _page_permissions(actions) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(Page)
    return [
        Permission.objects.get(content_type=content_type, codename=f"{a}_page")
        for a in actions
    ]


def _desk_names(region: Region) -> dict[str, str]:
    # Group and workflow names are data, shown in the admin in Chinese.
    place = f"{region.name}（{region.code}）"
    return {
        "editors": f"内容编辑 · {place}",
        "approvers": f"内容审核 · {place}",
        "workflow": f"审核流程 · {place}",
        "task": f"审核 · {place}",
    }


@transaction.atomic
def editorial_desk_ensure(*, region: Region) -> EditorialDesk:
    """The region's desk, created with its groups and workflow if missing."""
    desk = (
        EditorialDesk.objects.select_related("editors", "approvers", "workflow")
        .filter(region=region)
        .first()
    )
    if desk is not None:
        return desk
    names = _desk_names(region)
    editors, _ = Group.objects.get_or_create(name=names["editors"])
    approvers, _ = Group.objects.get_or_create(name=names["approvers"])
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()
    for group in (editors, approvers):
        group.permissions.add(access_admin)
        for app_label, model, actions in COLLECTION_PERMISSIONS:
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label,
                        codename=f"{action}_{model}",
                    ),
                )
    task = GroupApprovalTask.objects.create(name=names["task"])
    task.groups.set([approvers])
    workflow = Workflow.objects.create(name=names["workflow"])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return EditorialDesk.objects.create(
        region=region, editors=editors, approvers=approvers, workflow=workflow
    )


@transaction.atomic
def section_setup(*, page: Page) -> EditorialDesk:
    """Give ``page``'s bureau its permissions and workflow on the section.

    Safe to run again; when a section changes bureau, the former bureau's
    permissions on it are removed.
    """
    section = page.specific
    if not isinstance(section, BureauSection):
        raise ValidationError(NOT_A_SECTION)
    desk = editorial_desk_ensure(region=section.region)
    other_desks = EditorialDesk.objects.exclude(pk=desk.pk)
    GroupPagePermission.objects.filter(page=page).filter(
        group__in=[
            *other_desks.values_list("editors", flat=True),
            *other_desks.values_list("approvers", flat=True),
        ]
    ).delete()
    for group, actions in (
        (desk.editors, EDITOR_PAGE_PERMISSIONS),
        (desk.approvers, APPROVER_PAGE_PERMISSIONS),
    ):
        for permission in _page_permissions(actions):
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission
            )
    WorkflowPage.objects.update_or_create(
        page=page, defaults={"workflow": desk.workflow}
    )
    return desk


@transaction.atomic
def bureau_editor_assign(*, user, approver: bool = False) -> EditorialDesk:
    """Make a bureau user an editor (and, if ``approver``, an approver) of
    their own region's sections."""
    if user.region_id is None or not user.has_role(Role.REVIEWER):
        raise ValidationError(NOT_A_BUREAU_USER)
    desk = editorial_desk_ensure(region=user.region)
    user.groups.add(desk.editors)
    if approver:
        user.groups.add(desk.approvers)
    else:
        user.groups.remove(desk.approvers)
    return desk
