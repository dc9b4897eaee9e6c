"""Comparisons across agencies and periods, and submission tracking.

Every row keeps the ids of the findings (``finding_id`` = ``doc_id:n``) or documents it rests
on, so each aggregated statement can be traced to its source sentences (document, section, span).

- :func:`group_findings` puts near-identical findings of a category into one group, across
  documents: the same shortcoming in other words counts once.
- :func:`agency_matrix` counts findings per reporting body and category.
- :func:`shared_and_unique` says which groups several bodies share and which are one body's.
- :func:`persistence` follows each body from one period to the next: shortcomings that
  persist, are new, or are no longer reported; :func:`metric_changes` does the same for figures.
- :func:`submissions` checks who answered a request letter, when, late or missing, and which
  requested points each answer covers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from pipeline.aggregate.themes import themes_of
from pipeline.nlp.requests import POINTS

CATEGORIES = ("achievement", "shortcoming", "cause", "task", "recommendation")

# Function words that say nothing about what a finding is about.
_STOP = set(
    """các những một này đó được bị là và với của cho trong trên tại theo về từ đến khi đã đang sẽ còn chưa
    có không rất nhiều ít hơn nhất như để do vì nên thì mà nhưng cũng vẫn lại ra vào đây việc công tác
    thực hiện tiếp tục đẩy mạnh tăng cường nâng cao một số số ở nơi bằng""".split()
)


def _tokens(text: str) -> str:
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

    docs = [_tokens(t) or t.casefold() for t in texts]
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


# Above this many findings of one category, clustering works on the graph of close pairs
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


def group_findings(findings: pd.DataFrame, *, threshold: float = 0.35) -> pd.DataFrame:
    """One row per finding: ``finding_id``, ``group_id`` and the group's size in bodies.

    Groups are formed within a category by :func:`cluster` on :func:`finding_vectors`: two
    findings join when their (average) similarity is above ``threshold``.
    """
    rows = []
    for cat, part in findings.groupby("category", sort=True):
        # Statements that differ only in figures or punctuation have the same vector (digits and
        # function words are not features): cluster each such form once.
        texts = part["text"].fillna("").astype(str).tolist()
        keys = [_tokens(t) or t.casefold() for t in texts]
        _, first, inverse = np.unique(np.array(keys, dtype=object), return_index=True, return_inverse=True)
        labels = cluster(finding_vectors([texts[i] for i in first]), threshold)[inverse]
        rows.extend({"finding_id": fid, "group_id": f"{cat}:{int(lab)}"} for fid, lab in zip(part["finding_id"], labels, strict=True))
    groups = pd.DataFrame(rows, columns=["finding_id", "group_id"])
    if groups.empty:
        return groups.assign(n_bodies=pd.Series(dtype="int64"))
    merged = groups.merge(findings[["finding_id", "body_key"]], on="finding_id", how="left")
    n_bodies = merged.groupby("group_id")["body_key"].nunique().rename("n_bodies")
    groups = groups.merge(n_bodies, on="group_id", how="left")
    # Stable, readable ids: number the groups of each category by first appearance.
    order = {g: i for i, g in enumerate(dict.fromkeys(groups["group_id"]))}
    groups["group_id"] = groups["group_id"].map(lambda g: f"{g.split(':')[0]}-{order[g]:04d}")
    return groups


def agency_matrix(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per reporting body and category (long form: ``body_key, body, category, n``)."""
    if findings.empty:
        return pd.DataFrame(columns=["body_key", "body", "category", "n"])
    m = findings.groupby(["body_key", "body", "category"], dropna=False).size().rename("n").reset_index()
    return m.sort_values(["body", "category"]).reset_index(drop=True)


def _representative(part: pd.DataFrame) -> str:
    """The shortest complete statement of a group reads best in a consolidated report."""
    texts = part["text"].astype(str).tolist()
    return min(texts, key=lambda t: (len(t) < 25, len(t)))


def shared_and_unique(findings: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """One row per group and period: category, bodies, whether several bodies share it.

    Groups span periods (so that persistence can follow them); "shared" is judged within a
    period, as a consolidated report of one request is.
    """
    cols = [
        "group_id", "period", "category", "n_bodies", "shared", "bodies", "body_keys", "text", "themes",
        "finding_ids", "doc_ids",
    ]
    if findings.empty or groups.empty:
        return pd.DataFrame(columns=cols)
    f = findings.merge(groups[["finding_id", "group_id"]], on="finding_id")
    f = f.assign(period=f["period_start"].fillna("").astype(str).str[:10])
    rows = []
    for (gid, period), part in f.groupby(["group_id", "period"], sort=True):
        bodies = list(dict.fromkeys(part["body"].fillna("?").astype(str)))
        keys = list(dict.fromkeys(part["body_key"].fillna("?").astype(str)))
        rows.append(
            {
                "group_id": gid,
                "period": period or None,
                "category": part["category"].iloc[0],
                "n_bodies": len(keys),
                "shared": len(keys) > 1,
                "bodies": "; ".join(bodies),
                "body_keys": "; ".join(keys),
                "text": _representative(part),
                # the themes of a group are those of its distinct statements (a sample suffices)
                "themes": "; ".join(themes_of(" ".join(part["text"].astype(str).unique()[:20]))[:3]),
                "finding_ids": "; ".join(part["finding_id"].astype(str)),
                "doc_ids": "; ".join(dict.fromkeys(part["doc_id"].astype(str))),
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["period", "category", "n_bodies", "group_id"], ascending=[True, True, False, True]).reset_index(drop=True)


def _period_key(doc: pd.Series) -> str:
    for c in ("period_start", "date"):
        v = doc.get(c)
        if isinstance(v, str) and v:
            return v
    return ""


def persistence(findings: pd.DataFrame, groups: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """For each body with reports of two or more periods: shortcomings persisting, new, resolved."""
    cols = ["body_key", "body", "from_doc", "to_doc", "from_period", "to_period", "status", "group_id", "text", "finding_ids"]
    if findings.empty or groups.empty:
        return pd.DataFrame(columns=cols)
    f = findings[findings["category"] == "shortcoming"].merge(groups[["finding_id", "group_id"]], on="finding_id")
    rows = []
    for key, docs in documents.dropna(subset=["body_key"]).groupby("body_key"):
        docs = docs.assign(_p=docs.apply(_period_key, axis=1)).sort_values(["_p", "date"])
        # one report per period: a later duplicate of the same period replaces the earlier
        docs = docs.drop_duplicates("_p", keep="last")
        ids = docs["doc_id"].tolist()
        for prev, cur in zip(ids, ids[1:], strict=False):
            a = f[f["doc_id"] == prev]
            b = f[f["doc_id"] == cur]
            ga, gb = set(a["group_id"]), set(b["group_id"])
            meta = {
                "body_key": key,
                "body": docs["body"].iloc[0],
                "from_doc": prev,
                "to_doc": cur,
                "from_period": docs.loc[docs["doc_id"] == prev, "_p"].iloc[0],
                "to_period": docs.loc[docs["doc_id"] == cur, "_p"].iloc[0],
            }
            for status, gset, src in (("persists", ga & gb, b), ("new", gb - ga, b), ("resolved", ga - gb, a)):
                for g in sorted(gset):
                    part = src[src["group_id"] == g]
                    if status == "persists":
                        part = pd.concat([a[a["group_id"] == g], part])
                    rows.append(
                        meta
                        | {
                            "status": status,
                            "group_id": g,
                            "text": part["text"].iloc[-1],
                            "finding_ids": "; ".join(part["finding_id"].astype(str)),
                        }
                    )
    return pd.DataFrame(rows, columns=cols)


def _measure_key(m: Any, unit: Any) -> str:
    return f"{_tokens(str(m or ''))}|{str(unit or '').casefold()}"


def metric_changes(metrics: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Figures of the same body and measure in consecutive periods: rose, fell or unchanged."""
    cols = ["body_key", "body", "measure", "unit", "from_period", "to_period", "value_from", "value_to", "change", "trend", "from_doc", "to_doc"]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    docs = documents.assign(_p=documents.apply(_period_key, axis=1))
    m = metrics.dropna(subset=["value"]).merge(docs[["doc_id", "body_key", "body", "_p"]], on="doc_id")
    m = m[m["kind"].isin(["count", "money", "percent"]) & m["measure"].notna()]
    m = m.assign(_k=[_measure_key(a, b) for a, b in zip(m["measure"], m["unit"], strict=False)])
    rows = []
    for (key, _k), part in m.groupby(["body_key", "_k"]):
        per = part.sort_values("_p").drop_duplicates("_p", keep="first")
        vals = per.to_dict("records")
        for x, y in zip(vals, vals[1:], strict=False):
            d = float(y["value"]) - float(x["value"])
            rows.append(
                {
                    "body_key": key, "body": x["body"], "measure": x["measure"], "unit": x["unit"],
                    "from_period": x["_p"], "to_period": y["_p"], "value_from": x["value"], "value_to": y["value"],
                    "change": d, "trend": "tăng" if d > 0 else "giảm" if d < 0 else "không đổi",
                    "from_doc": x["doc_id"], "to_doc": y["doc_id"],
                }
            )
    return pd.DataFrame(rows, columns=cols)


def _doc_names(d: dict[str, Any] | pd.Series) -> list[str]:
    """The names under which a document's issuer may be addressed."""

    def get(k: str) -> str | None:
        v = d.get(k)
        return v if isinstance(v, str) and v else None

    body, issuer, parent = get("body"), get("issuer"), get("issuer_parent")
    names = [body, issuer]
    if issuer and parent:
        names += [f"{issuer} {parent}", f"{parent} {issuer}"]
    return [n for n in names if n]


def _answers(expected: dict[str, Any], doc: dict[str, Any] | pd.Series) -> bool:
    from pipeline.aggregate.bodies import same_body

    wanted = [x for x in (expected.get("canonical"), expected.get("text")) if x]
    return any(same_body(w, n) for w in wanted for n in _doc_names(doc))


def find_requests(records: list[dict[str, Any]], documents: pd.DataFrame, references: pd.DataFrame) -> list[str]:
    """Documents of the batch that others answer: cited by two or more other documents."""
    if references.empty or documents.empty:
        return []
    nums = documents.dropna(subset=["number"]).set_index("number")["doc_id"].to_dict()
    cites: dict[str, set[str]] = defaultdict(set)
    for num, did in zip(references["number"], references["doc_id"], strict=False):
        target = nums.get(num)
        if target and target != did:
            cites[target].add(did)
    return sorted(t for t, srcs in cites.items() if len(srcs) >= 2)


def submissions(
    records: list[dict[str, Any]],
    documents: pd.DataFrame,
    findings: pd.DataFrame,
    references: pd.DataFrame,
    *,
    request: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Who answered each request, when, late or missing, and which requested points each answer covers.

    ``request`` may give ``expected`` (body names), ``deadline`` (ISO date) and ``points``
    explicitly; otherwise they come from the request letter found in the batch (its Kính gửi
    and Nơi nhận, its ``deadline`` and the points its text asks for).
    """
    cols = [
        "request_doc", "request_number", "body", "body_key", "status", "doc_id", "number", "date", "deadline",
        "late", "days_late", "points_requested", "points_covered", "points_missing",
    ]
    by_id = {r.get("id"): r for r in records if r.get("status", "ok") == "ok"}
    requests: list[str | None] = list(find_requests(records, documents, references))
    if request and request.get("doc_id"):
        requests = [request["doc_id"]]
    if not requests and request and request.get("expected"):
        requests = [None]  # no request letter in the batch: every document is an answer
    rows = []
    for rid in requests:
        rec = by_id.get(rid, {}) if rid else {}
        number = (rec.get("number") or {}).get("text")
        deadline = (request or {}).get("deadline") or (rec.get("deadline") or {}).get("date")
        points = (request or {}).get("points") or rec.get("requested_points") or list(POINTS)
        expected = _expected_bodies(rec, request)
        if rid is None:
            answered = documents
        else:
            answers = references[(references["number"] == number) & (references["doc_id"] != rid)]["doc_id"].unique()
            answered = documents[documents["doc_id"].isin(answers)]
        matched: set[str] = set()
        for _, d in answered.sort_values("date", na_position="last").iterrows():
            cats = set(findings.loc[findings["doc_id"] == d["doc_id"], "category"])
            covered = [p for p in points if p in POINTS and set(POINTS[p][1]) & cats]
            late = bool(deadline and isinstance(d["date"], str) and d["date"][:10] > deadline)
            days = (pd.Timestamp(d["date"][:10]) - pd.Timestamp(deadline)).days if late and len(d["date"]) >= 10 else 0
            for e in expected:
                if _answers(e, d):
                    matched.add(e["text"])
            rows.append(
                {
                    "request_doc": rid, "request_number": number, "body": d["body"], "body_key": d["body_key"],
                    "status": "late" if late else "submitted", "doc_id": d["doc_id"], "number": d["number"],
                    "date": d["date"], "deadline": deadline, "late": late, "days_late": days,
                    "points_requested": "; ".join(points), "points_covered": "; ".join(covered),
                    "points_missing": "; ".join(p for p in points if p not in covered),
                }
            )
        for e in expected:
            if e["text"] in matched:
                continue
            rows.append(
                {
                    "request_doc": rid, "request_number": number, "body": e.get("canonical") or e["text"],
                    "body_key": e.get("key"), "status": "missing", "doc_id": None, "number": None, "date": None,
                    "deadline": deadline, "late": None, "days_late": None, "points_requested": "; ".join(points),
                    "points_covered": "", "points_missing": "; ".join(points),
                }
            )
    return pd.DataFrame(rows, columns=cols)


# Nơi nhận entries that name no body expected to answer: the file copy, "as above", people,
# and those sent a copy for information.
_NOT_EXPECTED = re.compile(
    r"^\s*(?:lưu|như\s+(?:trên|kính\s+gửi)|đ/c|đồng\s+chí|lãnh\s+đạo|website|trang\s+thông\s+tin|cổng\s+thông\s+tin)\b"
    r"|\((?:để\s+)?(?:b/c|báo\s+cáo|biết|đ/b|t/d|theo\s+dõi)\)",
    re.I,
)


def _expected_bodies(rec: dict[str, Any], request: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Bodies a request expects answers from: its Kính gửi list, else its Nơi nhận less copies."""
    if request and request.get("expected"):
        return [{"text": t, "key": None, "canonical": t} for t in request["expected"]]
    items = rec.get("addressee_bodies") or [
        b for b in rec.get("recipient_bodies") or [] if not _NOT_EXPECTED.search(b.get("text") or "")
    ]
    out, seen = [], set()
    for item in items:
        text = (item.get("text") or "").strip()
        if not item.get("key") and re.match(r"(?i)(các|những|toàn\s+thể)\b", text):
            continue  # a generic plural ("Các sở, ban, ngành") names no one who can be missing
        from pipeline.aggregate.bodies import core_key

        k = core_key(item.get("canonical") or item.get("text"))
        if k and k not in seen:
            seen.add(k)
            out.append(item)
    return out


def compare_all(tables: dict[str, pd.DataFrame], records: list[dict[str, Any]], request: dict[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """Every comparison table of a run."""
    # A request letter's own text (the points it asks for) is not an answer: keep it out.
    requests = set(find_requests(records, tables["documents"], tables["references"]))
    every = tables["findings"]
    findings = every[~every["doc_id"].isin(requests)].reset_index(drop=True)
    groups = group_findings(findings) if not findings.empty else pd.DataFrame(columns=["finding_id", "group_id", "n_bodies"])
    tables["findings"] = every.drop(columns=["group_id"], errors="ignore").merge(
        groups[["finding_id", "group_id"]], on="finding_id", how="left"
    )
    return {
        "finding_groups": shared_and_unique(findings, groups),
        "agency_matrix": agency_matrix(findings),
        "persistence": persistence(findings, groups, tables["documents"]),
        "metric_changes": metric_changes(tables["metrics"], tables["documents"]),
        "submissions": submissions(records, tables["documents"], findings, tables["references"], request=request),
    }
