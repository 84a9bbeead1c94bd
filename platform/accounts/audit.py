"""Admin history of region-scoped rows, shown only inside the viewer's scope.

Wagtail logs every create/edit/delete made in the admin, and its site-history
report shows an entry to anyone holding *any* permission on the entry's
content type: a county reviewer would read the names of other counties'
schools and teachers, and who changed them. Models registered here log to
:class:`ScopedLogEntry` instead (see the ``register_log_actions`` hooks),
whose entries a user sees only for rows their permission policy lets them
see.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager
from wagtail.permissions import policy_registry

ANY_ACTION = ("add", "change", "delete", "view")


class ScopedLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        visible = Q(pk__in=[])
        content_type_ids = set(
            self.order_by().values_list("content_type_id", flat=True).distinct()
        )
        for content_type_id in content_type_ids:
            if content_type_id is None:
                continue
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:
                continue
            policy = policy_registry.get_by_type(model)
            rows = policy.instances_user_has_any_permission_for(user, ANY_ACTION)
            ids = rows.order_by().annotate(_log_id=Cast("pk", CharField()))
            visible |= Q(
                content_type_id=content_type_id,
                object_id__in=ids.values("_log_id"),
            )
        return self.filter(visible)


class ScopedLogEntry(BaseLogEntry):
    object_id = models.CharField(max_length=255, db_index=True)

    objects = ScopedLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("scoped log entry")
        verbose_name_plural = _("scoped log entries")

    def __str__(self) -> str:
        return f"ScopedLogEntry {self.pk}: {self.action} on {self.object_id}"
