"""Chinese search: real queries and the programmes they must rank first.

Runs on the configured database: SQLite FTS5 by default, PostgreSQL with
DATABASE_URL set (the ``postgres`` copy of the cases then also runs, and is
required in CI).
"""

import pytest
from wagtail.search.backends import get_search_backend

from cms.models import ProgrammePage
from cms.search.chinese import index_tokens, query_words
from courses.models import Level
from schools.models import Subject
from tests.cms.pages import programme_page

pytestmark = pytest.mark.django_db

PROGRAMMES = {
    # slug: (catalog, title, subjects, summary)
    "math-backbone": ("county", "小学数学骨干教师能力提升项目", ["math"], "课例研修"),
    "rural-english": (
        "county",
        "乡村小学英语教师口语提升班",
        ["english"],
        "面向村小英语教师",
    ),
    "english-urban": ("county", "城区初中英语教研组长培训", ["english"], "教研组建设"),
    "rural-music": ("county", "乡村学校音乐美术送教下乡项目", ["music", "art"], ""),
    "principal": ("national", "乡村校园长领导力提升培训", [], "面向乡村中小学校长"),
    "pe": ("provincial", "中小学体育教师专项培训", ["pe"], "大课间与体育课"),
    "psychology": ("provincial", "心理健康教育教师培训", ["psychology"], "危机干预"),
    "it": ("national", "教学点教师信息技术应用能力提升", ["it"], "同步课堂设备操作"),
    "chinese": ("municipal", "初中语文大单元教学设计研修", ["chinese"], "名师工作室"),
    "new-teachers": ("municipal", "新入职教师规范化培训", [], "教学常规"),
    "class-teacher": ("county", "班主任工作能力培训", [], "家校沟通"),
    "science": ("county", "小学科学实验教学培训", ["science"], "实验操作"),
}

CASES = [
    # query, slug expected first, slugs that must also be found (any order)
    ("数学", "math-backbone", []),
    ("乡村 英语", "rural-english", []),
    ("乡村英语", "rural-english", []),
    ("英语", None, ["rural-english", "english-urban"]),
    ("骨干教师", "math-backbone", []),
    ("送教下乡", "rural-music", []),
    ("校长", "principal", []),
    ("体育", "pe", []),
    ("心理健康", "psychology", []),
    ("同步课堂", "it", []),
    ("信息技术", "it", []),
    ("语文 名师", "chinese", []),
    ("新入职", "new-teachers", []),
    ("班主任", "class-teacher", []),
    ("科学实验", "science", []),
    ("国培", None, ["principal", "it"]),
    ("音乐", "rural-music", []),
]


@pytest.fixture
def programmes(site_tree, django_capture_on_commit_callbacks):
    subjects = Subject.objects.in_bulk()
    pages = {}
    with django_capture_on_commit_callbacks(execute=True):
        for slug, (catalog, title, codes, summary) in PROGRAMMES.items():
            pages[slug] = programme_page(
                getattr(site_tree, catalog),
                slug=slug,
                title=title,
                summary=summary,
                subjects=[subjects[c] for c in codes],
            )
    return pages


def ranked(query: str) -> list[str]:
    qs = get_search_backend().search_queryset(query, ProgrammePage.objects.live())
    return [p.slug for p in qs]


def failures(cases) -> list:
    """Each case whose expected first result or other results are missing."""
    wrong = []
    for query, first, also in cases:
        results = ranked(query)
        if (first is not None and results[:1] != [first]) or not set(also) <= set(
            results
        ):
            wrong.append((query, first, also, results))
    return wrong


def test_chinese_queries(programmes):
    # One test for all cases (the page tree is built once); every failing
    # query is reported together.
    assert failures(CASES) == []


@pytest.mark.postgres
def test_chinese_queries_on_postgres(programmes):
    assert failures(CASES) == []


def test_words_must_all_match(programmes):
    results = ranked("乡村 英语")
    assert "english-urban" not in results  # English, but not rural
    assert "math-backbone" not in results
    assert ranked("数学 英语") == []


def test_unrelated_words_find_nothing(programmes):
    assert ranked("化学") == []
    assert ranked("的 和 ，。") == []


def test_wagtail_search_api_also_segments(programmes):
    results = ProgrammePage.objects.live().search("乡村英语")
    assert [p.slug for p in results][:1] == ["rural-english"]


def test_autocomplete_matches_word_prefix(programmes):
    results = get_search_backend().autocomplete("数", ProgrammePage)
    assert "math-backbone" in [p.slug for p in results]


def test_index_holds_words_not_sentences():
    tokens = index_tokens("小学数学骨干教师能力提升项目")
    assert {"小学", "数学", "骨干教师", "骨干", "教师"} <= set(tokens)
    assert query_words("乡村教师") == [("乡村教师", ("乡村", "教师"))]
    assert query_words("ＥＮＧＬＩＳＨ") == [("english", ())]


def test_level_words_find_the_level(programmes):
    results = ranked("省培")
    assert set(results) == {
        slug
        for slug, (catalog, *_rest) in PROGRAMMES.items()
        if catalog == Level.PROVINCIAL.value
    }
