"""Groups of near-identical findings: the same shortcoming in other words counts once.

Findings are compared by their *form* (:func:`statement_key`: syllables without digits,
punctuation or function words), so a batch of a thousand reports that repeat the same
statements with other figures clusters each statement once.  :class:`Forms` collects the
distinct forms of a batch as the findings stream by and clusters them per category; memory
holds the forms, never the findings.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

# Function words that say nothing about what a finding is about.
_STOP = set(
    """các những một này đó được bị là và với của cho trong trên tại theo về từ đến khi đã đang sẽ còn chưa
    có không rất nhiều ít hơn nhất như để do vì nên thì mà nhưng cũng vẫn lại ra vào đây việc công tác
    thực hiện tiếp tục đẩy mạnh tăng cường nâng cao một số số ở nơi bằng""".split()
)


def statement_key(text: str) -> str:
    """What a statement says, without its figures, punctuation and function words.

    >>> statement_key("Đã tổ chức 45 hội nghị tuyên truyền.")
    'tổ chức hội nghị tuyên truyền'
    """
    t = unicodedata.normalize("NFC", text).casefold()
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(w for w in t.split() if w not in _STOP and not w.isdigit())


def finding_vectors(texts: list[str], *, theme_weight: float = 0.5) -> Any:
    """Sparse rows whose dot products are the similarity of findings.

    Similarity blends what findings are about (themes) with the words they use.  Words: cosine
    over syllables (TF-IDF, function words dropped).  Themes: cosine over theme vectors
    (:mod:`pipeline.aggregate.themes`), each theme weighted by its cue hits, by inverse frequency
    in the batch (the programme's own topic, present everywhere, weighs little) and with a bonus
    when its first cue stands early, where a Vietnamese sentence names its subject (``Kinh phí …
    còn hạn hẹp`` is about funding).  Paraphrases that share few words but the same concern
    (``đơn điệu`` / ``chưa đa dạng``) thus meet.

    Each row joins the unit-length word vector, scaled by ``sqrt(1 - theme_weight)``, and the
    unit-length theme vector, scaled by ``sqrt(theme_weight)``: ``F @ F.T`` is then exactly
    ``theme_weight * cos(themes) + (1 - theme_weight) * cos(words)``, without a dense n × n matrix.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    docs = [statement_key(t) or t.casefold() for t in texts]
    lex = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sublinear_tf=True).fit_transform(docs)
    hits = theme_hits(texts)
    present = (hits > 0).sum(axis=0)
    idf = np.log((1 + len(texts)) / (1 + present)) + 1.0
    th = normalize(sparse.csr_matrix(hits * idf))
    return sparse.hstack([np.sqrt(1.0 - theme_weight) * normalize(lex), np.sqrt(theme_weight) * th]).tocsr()


def theme_hits(texts: list[str]) -> np.ndarray:
    """Per text and theme: cue hits, plus one when the first hit is in the first third."""
    from pipeline.aggregate.themes import _lexicon

    lexicon = list(_lexicon().values())
    out = np.zeros((len(texts), len(lexicon)))
    for i, t in enumerate(texts):
        low = t.casefold()
        for j, (_label, pat) in enumerate(lexicon):
            found = list(pat.finditer(low))
            if found:
                out[i, j] = len(found) + (1.0 if found[0].start() < 0.35 * len(low) else 0.0)
    return out


# Above this many forms of one category, clustering works on the graph of close pairs
# instead of a dense matrix: memory stays bounded however large the batch.
DENSE_LIMIT = 1500


def _average_linkage(f: Any, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if f.shape[0] == 1:
        return np.array([0])
    dist = np.clip(1.0 - (f @ f.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    return AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    ).fit_predict(dist)


def cluster(f: Any, threshold: float, *, dense_limit: int = DENSE_LIMIT, chunk: int = 256) -> np.ndarray:
    """Cluster labels of the rows of ``f`` (see :func:`finding_vectors`).

    Up to ``dense_limit`` rows: average-linkage clustering, joining while the average similarity
    stays above ``threshold``.  Beyond: the pairs above ``threshold`` are found chunk by chunk
    (sparse products), their connected components computed, and each component clustered again
    by average linkage, or, if it is still too large, by the same procedure at a higher threshold.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n = f.shape[0]
    if n <= dense_limit:
        return _average_linkage(f, threshold)
    rows, cols = [], []
    for a in range(0, n, chunk):
        block = (f[a : a + chunk] @ f.T).tocoo()
        keep = block.data >= threshold
        rows.append(block.row[keep] + a)
        cols.append(block.col[keep])
    graph = sparse.coo_matrix((np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    labels = np.empty(n, dtype=np.int64)
    nxt = 0
    for c in np.unique(comp):
        idx = np.flatnonzero(comp == c)
        if len(idx) <= dense_limit or threshold >= 0.95:
            sub = _average_linkage(f[idx], threshold) if len(idx) <= dense_limit else np.zeros(len(idx), dtype=np.int64)
        else:
            sub = cluster(f[idx], min(0.95, threshold + 0.1), dense_limit=dense_limit, chunk=chunk)
        labels[idx] = sub + nxt
        nxt += int(sub.max()) + 1
    return labels


class Forms:
    """The distinct statement forms of a batch, per category, and their groups.

    Feed every finding once (:meth:`add`, in the batch's order), call :meth:`cluster`, then ask
    :meth:`group_of` for each finding.  Group ids read ``<category>-<nnnn>``, numbered by
    category and then by first appearance, so a re-run of the same batch gives the same ids.

    >>> forms = Forms()
    >>> for text in ("Kinh phí còn hạn hẹp.", "Kinh phí vẫn còn hạn hẹp!", "Thiếu báo cáo viên."):
    ...     forms.add("shortcoming", text)
    >>> forms.cluster()
    >>> forms.group_of("shortcoming", "Kinh phí còn hạn hẹp, 2025.")
    'shortcoming-0000'
    """

    def __init__(self, threshold: float = 0.35) -> None:
        self.threshold = threshold
        # category → form key → [first text, group number]; dicts keep first appearance
        self._forms: dict[str, dict[str, list[Any]]] = {}

    def add(self, category: str | None, text: str | None) -> None:
        if not category or text is None:
            return
        key = statement_key(text) or text.casefold()
        forms = self._forms.setdefault(category, {})
        if key not in forms:
            forms[key] = [text, -1]

    def __len__(self) -> int:
        return sum(len(f) for f in self._forms.values())

    def cluster(self) -> None:
        """Cluster the forms of each category; number the groups."""
        nxt = 0
        for cat in sorted(self._forms):
            forms = self._forms[cat]
            # cluster in key order: the groups do not depend on the order of the files
            keys = sorted(forms)
            labels = dict(zip(keys, cluster(finding_vectors([forms[k][0] for k in keys]), self.threshold), strict=True))
            number: dict[int, int] = {}
            for key, form in forms.items():  # first appearance
                lab = int(labels[key])
                if lab not in number:
                    number[lab], nxt = nxt, nxt + 1
                form[1] = number[lab]

    def group_of(self, category: str | None, text: str | None) -> str | None:
        """The group id of a finding already added (``None`` for one never added)."""
        if not category or text is None:
            return None
        form = self._forms.get(category, {}).get(statement_key(text) or text.casefold())
        return f"{category}-{form[1]:04d}" if form and form[1] >= 0 else None


def group_findings(findings: pd.DataFrame, *, threshold: float = 0.35) -> pd.DataFrame:
    """One row per finding: ``finding_id``, ``group_id`` and the group's size in bodies.

    ``findings`` has at least ``finding_id``, ``category``, ``text`` and ``body_key``.
    """
    forms = Forms(threshold)
    pairs = list(zip(findings["category"], findings["text"], strict=True))
    for cat, text in pairs:
        forms.add(_str(cat), _str(text))
    forms.cluster()
    groups = pd.DataFrame(
        {"finding_id": findings["finding_id"], "group_id": [forms.group_of(_str(c), _str(t)) for c, t in pairs]}
    ).dropna(subset=["group_id"])
    keys = findings["body_key"].astype(object).where(findings["body_key"].notna(), "?")
    n_bodies = keys.groupby(groups["group_id"]).nunique().rename("n_bodies")
    return groups.merge(n_bodies, left_on="group_id", right_index=True, how="left").reset_index(drop=True)


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None

