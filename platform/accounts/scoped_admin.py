"""Admin views and forms that only ever load rows inside the user's scope.

Wagtail's generic edit, delete, inspect, history, usage and copy views load
their object through the model's default manager and check permissions per
model, not per row. A county reviewer allowed to change schools could then
open any school by its id. The views here load objects through the model's
:class:`~accounts.permissions.ScopedPermissionPolicy`, so a row outside the
user's scope is a 404, for GET and POST alike; forms offer (and accept) only
related rows inside the scope.
"""

from django.contrib.admin.utils import unquote
from django.db.models import ProtectedError, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

PROTECTED_MESSAGE = _(
    "“%(object)s” cannot be deleted because other records still refer to it."
)


class ScopedObjectMixin:
    """Loads the view's object from the user's scope only."""

    @cached_property
    def scope_policy(self):
        return policy_registry.get_by_type(self.model)

    def scoped(self, queryset: QuerySet) -> QuerySet:
        return self.scope_policy.scope(queryset, self.request.user)

    def get_scoped_object(self, pk):
        return get_object_or_404(
            self.scoped(self.model._default_manager.all()), pk=unquote(str(pk))
        )


class ScopedIndexView(ScopedObjectMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset())


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped(super().get_queryset())


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped(super().get_queryset())

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, PROTECTED_MESSAGE % {"object": self.object})
            return redirect(self.get_success_url())


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return self.get_scoped_object(self.pk)


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    def get_base_object_queryset(self):
        return self.scoped(super().get_base_object_queryset())


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scoped(super().get_base_object_queryset())


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    def get_object(self, queryset=None):
        return self.get_scoped_object(self.kwargs[self.pk_url_kwarg])


class ScopedAdminForm(WagtailAdminModelForm):
    """Limits the choices of related fields to the editing user's scope.

    Subclasses name, per field, a method ``<field>_choices(user)`` returning
    the queryset to offer. A POST naming a row outside it fails validation
    like any invalid choice. Rows already linked stay valid, so a reviewer
    can save a studio whose member came from elsewhere without dropping them.
    """

    scoped_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name in self.scoped_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            allowed = getattr(self, f"{name}_choices")(user)
            current = self._current_pks(name)
            if current:
                allowed = allowed.model._default_manager.filter(
                    Q(pk__in=allowed.values("pk")) | Q(pk__in=current)
                ).select_related(*self._select_related_of(allowed))
            field.queryset = allowed

    @staticmethod
    def _select_related_of(queryset) -> list[str]:
        def walk(tree, prefix=""):
            for key, sub in tree.items():
                yield prefix + key
                yield from walk(sub, f"{prefix}{key}__")

        related = queryset.query.select_related
        return list(walk(related)) if isinstance(related, dict) else []

    def _current_pks(self, name) -> list:
        instance = self.instance
        if instance is None or instance.pk is None:
            return []
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            return list(getattr(instance, name).values_list("pk", flat=True))
        value = getattr(instance, model_field.attname)
        return [value] if value is not None else []


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view stays inside the user's scope.

    The model must have a :class:`~accounts.permissions.ScopedPermissionPolicy`
    registered with ``wagtail.permissions.register_permission_policy``.
    """

    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    copy_view_enabled = False
    inspect_view_enabled = True
    #: select_related / prefetch_related for the listing, so that its query
    #: count does not grow with the rows shown.
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple = ()

    #: Forms built from ``panels`` use this base, so related choices are scoped.
    base_form_class = ScopedAdminForm

    def get_edit_handler(self):
        if not hasattr(self, "panels"):
            return super().get_edit_handler()
        return ObjectList(
            self.panels, base_form_class=self.base_form_class
        ).bind_to_model(self.model)

    def get_list_queryset(self) -> QuerySet:
        qs = self.model._default_manager.all()
        if self.list_select_related:
            qs = qs.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            qs = qs.prefetch_related(*self.list_prefetch_related)
        return qs

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.get_list_queryset(), **kwargs
        )


class PermissionMenuItem(MenuItem):
    """An admin menu entry shown only to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
