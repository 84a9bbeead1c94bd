"""Chinese full-text search on Wagtail's database backends.

:mod:`.chinese` segments text into words (jieba, with a small dictionary of
training and pairing terms); :mod:`.backend` plugs that into Wagtail's
SQLite FTS5 and PostgreSQL backends, at indexing and at query time.
"""
