"""factory_boy factories for regions, schools and studios (tests and demo data)."""

import factory

from .models import Region, School, Studio


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{510000 + n * 100:06d}"[:6])
    name = factory.Sequence(lambda n: f"测试地区{n}")
    level = Region.Level.PROVINCE
    parent = None
    path = factory.LazyAttribute(
        lambda r: f"{r.parent.path if r.parent else '/'}{r.code}/"
    )


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{2151000000 + n:010d}")
    name = factory.Sequence(lambda n: f"测试学校{n}")
    region = factory.SubFactory(RegionFactory)
    category = School.Category.VILLAGE
    urban_rural_code = School.UrbanRural.VILLAGE
    student_count = 300
    teacher_count = 20


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    name = factory.Sequence(lambda n: f"名师工作室{n}")
    leader = factory.SubFactory("accounts.factories.UserFactory")
    host_school = factory.SubFactory(SchoolFactory)
