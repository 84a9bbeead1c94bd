"""Word segmentation for the search index and for queries.

Chinese has no spaces, and Wagtail's database backends split on spaces: left
alone, "小学数学骨干教师能力提升项目" is one token that "数学" never matches.
So text is segmented before it reaches the index, and queries the same way:

- the index gets jieba's search-mode segmentation (each word and the
  dictionary words inside it: 骨干教师 -> 骨干, 教师, 骨干教师);
- a query is cut in precise mode into words that must all match; a long
  word may also match as its parts (乡村教师 or 乡村 + 教师), ranking whole
  words higher.

HMM guessing of unknown words is off on both sides: an unknown name then
falls apart into the same single characters in a document and in a query,
instead of being guessed differently in different contexts.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache

import jieba

# Terms of the training and pairing domain that jieba's dictionary lacks or
# would cut apart. Changing this list changes tokens: rebuild the index
# (manage.py update_index) after editing it.
DOMAIN_WORDS = (
    "国培", "省培", "市培", "县培", "校培", "国培计划", "送教下乡", "跟岗学习",
    "跟岗研修", "同步课堂", "专递课堂", "名师课堂", "名师工作室", "名校长工作室",
    "骨干教师", "学科带头人", "教学能手", "特级教师", "乡村教师", "乡村学校",
    "教学点", "综合实践", "道德与法治", "心理健康", "信息技术", "联校教研",
    "教学视导", "乡村支教", "结对帮扶", "示范课", "公开课", "学时", "轮训",
    "班主任", "新入职", "校本研修", "线上", "线下", "混合式", "送培到校",
    "薄弱学校", "城区学校", "村小", "名额", "培训项目", "工作动态", "通知公告",
    "政策文件", "幼儿园", "学前教育", "特殊教育", "中小学",
)  # fmt: skip

# Words that carry no meaning on their own in a query or a document.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "为",
        "对",
        "等",
        "之",
        "其",
        "把",
        "被",
        "从",
        "中",
        "上",
        "下",
    ]
)

_WORD = re.compile(r"\w", re.UNICODE)
_lock = threading.Lock()
_tokenizer = None


def tokenizer() -> jieba.Tokenizer:
    """jieba's tokenizer with the domain words, built once per process."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                for word in DOMAIN_WORDS:
                    tk.add_word(word, freq=None)
                _tokenizer = tk
    return _tokenizer


def normalize(text: str) -> str:
    """Full-width to half-width, lower case (Ｅｎｇｌｉｓｈ -> english)."""
    return unicodedata.normalize("NFKC", text).lower()


def _keep(token: str) -> bool:
    token = token.strip()
    return bool(token) and bool(_WORD.search(token)) and token not in STOPWORDS


def index_tokens(text: str) -> list[str]:
    """The tokens a document is indexed under."""
    if not text:
        return []
    return [
        t.strip()
        for t in tokenizer().cut_for_search(normalize(text), HMM=False)
        if _keep(t)
    ]


def segment_for_index(text: str) -> str:
    """``text`` as space-separated index tokens."""
    return " ".join(index_tokens(text))


@lru_cache(maxsize=4096)
def _parts(word: str) -> tuple[str, ...]:
    """Dictionary words inside ``word`` that together cover all of it.

    These are what search mode indexes besides the word (乡村教师 -> 乡村,
    教师), so a document with the parts apart still matches. Parts that leave
    a character uncovered (送教下乡 -> 教下, 下乡) would loosen the query:
    then there are none.
    """
    if len(word) <= 2:
        return ()
    freq = tokenizer().FREQ
    found = []
    covered = set()
    for n in (2, 3):
        for i in range(len(word) - n + 1):
            part = word[i : i + n]
            if n < len(word) and freq.get(part) and _keep(part):
                found.append(part)
                covered.update(range(i, i + n))
    if len(covered) < len(word):
        return ()
    return tuple(dict.fromkeys(found))


def query_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """A query's words, each with the parts it may match as instead.

    Every word must match; spaces the user typed only add word boundaries.
    """
    words = []
    for term in normalize(text).split():
        for word in tokenizer().cut(term, HMM=False):
            word = word.strip()
            if _keep(word):
                words.append((word, _parts(word)))
    return list(dict.fromkeys(words))
