"""Wagtail's database search backends, taught to read Chinese.

Configure with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND":
"cms.search.backend"}}``. Like ``wagtail.search.backends.database`` it picks
the backend of the default database — SQLite FTS5 or PostgreSQL full-text —
and changes two things in it:

- indexing: every text value goes through :func:`~.chinese.segment_for_index`
  before the database sees it, so the FTS5 tokenizer and PostgreSQL's parser
  (both split on spaces) get words;
- querying: plain-text and phrase queries become an AND of the query's words
  (:func:`~.chinese.query_words`), a long word also matching as its parts.

Both indexers keep the upstream code: ``add_items`` is rebound to a
segmenting ``ObjectIndexer`` (see :func:`_with_indexer`) rather than copied.

:meth:`ChineseSearchMixin.search_queryset` returns matches as an ordinary
queryset annotated with a relevance score, so the catalog can filter, sort and
paginate search results with the ORM.
"""

import types

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, QuerySet
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import (
    And,
    Boost,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
    SearchQuery,
)

from .chinese import query_words, segment_for_index

SCORE_FIELD = "search_rank"


def _names(code) -> set[str]:
    """Global names ``code`` and its nested code (comprehensions) use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _with_indexer(func, indexer_class):
    """``func`` (an index's ``add_items``) using ``indexer_class`` instead of
    the ``ObjectIndexer`` of its own module."""
    if "ObjectIndexer" not in _names(func.__code__):  # pragma: no cover
        raise ImproperlyConfigured(
            f"{func.__qualname__} no longer builds an ObjectIndexer: update "
            "cms.search.backend for this version of modelsearch."
        )
    rebound = types.FunctionType(
        func.__code__,
        {**func.__globals__, "ObjectIndexer": indexer_class},
        func.__name__,
        func.__defaults__,
        func.__closure__,
    )
    rebound.__qualname__ = func.__qualname__
    return rebound


def _segmenting(indexer_class):
    class SegmentingIndexer(indexer_class):
        def prepare_value(self, value):
            return segment_for_index(super().prepare_value(value))

    return SegmentingIndexer


def _words_query(text: str, operator: str | None) -> SearchQuery | None:
    """A query matching ``text``'s words (each, or any with operator "or")."""
    nodes = []
    for word, parts in query_words(text):
        node = PlainText(word)
        if parts:
            parts_node = (
                PlainText(parts[0])
                if len(parts) == 1
                else And([PlainText(p) for p in parts])
            )
            node = Or([node, parts_node])
        nodes.append(node)
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return Or(nodes) if (operator or "and").lower() == "or" else And(nodes)


def segment_query(query, operator: str | None = None):
    """``query`` (a string or a search query tree) rewritten into words.

    Returns None when nothing searchable is left (punctuation, stop words).
    """
    if isinstance(query, str):
        return _words_query(query, operator)
    if isinstance(query, PlainText):
        return _words_query(query.query_string, query.operator)
    if isinstance(query, Phrase):
        # Search-mode tokens interleave a word's parts, so adjacency in the
        # index does not mirror the text: a phrase matches as all its words.
        return _words_query(query.query_string, "and")
    if isinstance(query, (And, Or)):
        subqueries = [segment_query(q, operator) for q in query.subqueries]
        subqueries = [q for q in subqueries if q is not None]
        if not subqueries:
            return None
        return type(query)(subqueries) if len(subqueries) > 1 else subqueries[0]
    if isinstance(query, Not):
        inner = segment_query(query.subquery, operator)
        return Not(inner) if inner is not None else None
    if isinstance(query, Boost):
        inner = segment_query(query.subquery, operator)
        return Boost(inner, query.boost) if inner is not None else None
    return query  # MatchAll, and anything else the backend understands


class ChineseSearchMixin:
    """Segments queries before the vendor backend compiles them."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if not isinstance(query, MatchAll) and query is not None:
            query = segment_query(query, kwargs.get("operator"))
            if query is None:
                return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)

    def search_queryset(self, query: str, queryset: QuerySet) -> QuerySet:
        """Rows of ``queryset`` matching ``query``, best first, as a queryset.

        Annotated with ``search_rank`` (higher is better on both databases),
        and still open to ``filter()``, ``order_by()`` and slicing, so that
        callers can combine search with ORM filters and pagination.
        """
        segmented = segment_query(query)
        if segmented is None:
            return queryset.none()
        compiler = self.query_compiler_class(queryset, segmented)
        raw = f"{SCORE_FIELD}_raw"
        matches = compiler.search(
            compiler.get_config(self), None, None, score_field=raw
        )
        # SQLite's bm25() is negative, lower being better; PostgreSQL's rank
        # is positive, higher being better.
        rank = -F(raw) if self.rank_ascending else F(raw)
        return matches.annotate(**{SCORE_FIELD: rank}).order_by(
            f"-{SCORE_FIELD}", "-pk"
        )


def SearchBackend(params):  # noqa: N802  (the name Wagtail loads)
    vendor = connection.vendor
    if vendor == "postgresql":
        from modelsearch.backends.database.postgres import postgres

        class ChinesePostgresIndex(postgres.PostgresIndex):
            add_items = _with_indexer(
                postgres.PostgresIndex.add_items, _segmenting(postgres.ObjectIndexer)
            )

        class ChinesePostgresSearchBackend(
            ChineseSearchMixin, postgres.PostgresSearchBackend
        ):
            index_class = ChinesePostgresIndex
            rank_ascending = False

        params = {"SEARCH_CONFIG": "simple", **params}
        return ChinesePostgresSearchBackend(params)

    if vendor == "sqlite":
        from modelsearch.backends.database.sqlite import sqlite
        from modelsearch.backends.database.sqlite.utils import (
            fts5_available,
            fts_table_exists,
        )

        if not (fts5_available() and fts_table_exists()):  # pragma: no cover
            raise ImproperlyConfigured("Chinese search needs SQLite with FTS5.")

        class ChineseSQLiteIndex(sqlite.SQLiteIndex):
            add_items = _with_indexer(
                sqlite.SQLiteIndex.add_items, _segmenting(sqlite.ObjectIndexer)
            )

        class ChineseSQLiteSearchBackend(
            ChineseSearchMixin, sqlite.SQLiteSearchBackend
        ):
            index_class = ChineseSQLiteIndex
            rank_ascending = True

        return ChineseSQLiteSearchBackend(params)

    raise ImproperlyConfigured(  # pragma: no cover
        f"cms.search.backend supports SQLite and PostgreSQL, not {vendor}."
    )
