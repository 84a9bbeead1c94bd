"""factory_boy factories for users and roles (tests and demo data)."""

import factory
from django.contrib.auth.models import Group

from .models import User
from .roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        self.groups.add(
            *Group.objects.filter(name__in=[Role(r).value for r in extracted])
        )


class ReviewerFactory(UserFactory):
    region = factory.SubFactory("schools.factories.RegionFactory")
    roles = (Role.REVIEWER,)


class TeacherFactory(UserFactory):
    school = factory.SubFactory("schools.factories.SchoolFactory")
    roles = (Role.RURAL_TEACHER,)
