"""One side of the benchmark, run in a fresh process by ``run.py``.

    python _sides.py mediakit|naive|entities|pathological DATA OUT N_JOBS [CASE]

Writes ``OUT/<side>.json`` (timings, memory) and, for mediakit and naive, the outputs the two
sides share as Parquet files in OUT (read back by ``compare.py``).
"""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import Stages  # noqa: E402

GROUP_BY = "bias"
ONE_DAY = pd.Timestamp("2020-01-01", tz="UTC")  # group_stories_one_window: all on one day
# group_stories_one_window takes the first 10,000 articles (issue 17's figure: 10k articles in
# one window); with --repeat K the whole corpus in one window would grow with K squared, a
# measure of that stress case, not of the pipeline's growth
ONE_WINDOW_MAX = 10_000
N_BOOT = N_PERM = 2000
#: The workers' dask settings, as the README's LocalCluster example sets them: dask's p2p
#: shuffles (by story, for keyness and coverage) send two messages at a time, not ten, so the
#: pieces in flight stay few (BENCHMARKS.md, "Issue 19, eleventh round")
P2P_CONFIG = {"distributed.p2p.comm.concurrency": 2}
PATHOLOGICAL_CASES = ("article_10mb", "line_1mb_no_punctuation", "articles_100k_one_line",
                      "bullets_50k")


def group_measures(columns) -> list[str]:
    """Measures compared between groups: compound sentiment, two readability indices, frames."""
    frames = [c for c in columns if c.startswith("frame_") and c != "frame_terms"]
    return ["sentiment_compound", "readability_flesch_kincaid_grade",
            "readability_flesch_reading_ease", *frames]


def input_hash(out: Path) -> str:
    """Fingerprint of the frames the naive scoring stages consume (mediakit's articles, sentences)."""
    import hashlib

    h = hashlib.sha256()
    for name in ("articles.parquet", "sentences.parquet"):
        frame = pd.read_parquet(out / name)
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _ids(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["article_id", "sentence_id"]].reset_index(drop=True)


def mediakit_side(data: Path, out: Path, n_jobs: int) -> dict:
    import mediakit as mk

    warnings.simplefilter("ignore", mk.MediakitWarning)
    st = Stages()
    with st.stage("read"):
        articles = mk.read_articles(data, n_jobs=n_jobs, progress=False)
    with st.stage("split") as r:
        sentences = mk.split_sentences(articles, n_jobs=n_jobs, progress=False)
        r["n_sentences"] = len(sentences)
    n = len(sentences)
    with st.stage("sentiment", n_sentences=n):
        sent = mk.score_sentiment(sentences, n_jobs=n_jobs, progress=False)
    with st.stage("readability", n_sentences=n):
        read = mk.score_readability(sentences, n_jobs=n_jobs, progress=False)
    with st.stage("frames", n_sentences=n):
        frames = mk.score_frames(sentences, n_jobs=n_jobs, progress=False)
    bias = articles.set_index("article_id")[GROUP_BY]
    new = {c: sent[c] for c in sent.columns if c.startswith("sentiment_")}
    new.update({c: read[c] for c in read.columns if c.startswith("readability_")})
    new.update({c: frames[c] for c in frames.columns if c.startswith("frame_")})
    scored = sentences.assign(**new, **{GROUP_BY: sentences["article_id"].map(bias)})
    measures = group_measures(scored.columns)
    with st.stage("compare_groups", n_sentences=n):
        groups = mk.compare_groups(scored, by=GROUP_BY, measures=measures, n_boot=N_BOOT,
                                   n_perm=N_PERM, progress=False)
    with st.stage("compare_terms", n_sentences=n):
        terms = mk.compare_terms(scored, by=GROUP_BY, stratify=False, n_jobs=n_jobs)
    with st.stage("group_stories"):
        stories = mk.group_stories(articles, n_jobs=n_jobs, progress=False)
    with st.stage("group_stories_one_window"):  # a busy day: every article in one window
        one_day = mk.group_stories(articles.iloc[:ONE_WINDOW_MAX].assign(published=ONE_DAY),
                                   n_jobs=n_jobs, progress=False)
    with st.stage("coverage", n_sentences=n):
        story = stories.set_index("article_id")["story_id"]
        in_stories = sentences.assign(story_id=sentences["article_id"].map(story))
        cov = mk.compare_coverage(in_stories, n_jobs=n_jobs, progress=False)
    result = st.close()
    result["n_sentences"] = n
    result["n_articles"] = len(articles)
    result["n_stories"] = int(stories["story_id"].nunique())
    result["n_alignment_rows"] = len(cov.alignment)

    # outputs shared with the naive side, and the inputs its scoring stages consume
    articles[["article_id", "title", "text", "published"]].to_parquet(out / "articles.parquet")
    scored[["article_id", "sentence_id", "kind", "outlet", GROUP_BY, "text"]].assign(
        story_id=in_stories["story_id"]).to_parquet(out / "sentences.parquet")
    sent_cols = [c for c in sent.columns if c.startswith("sentiment_")]
    pd.concat([_ids(sent), sent[sent_cols].reset_index(drop=True)], axis=1).to_parquet(
        out / "mk_sentiment.parquet")
    content = read["kind"].isin(("headline", "body", "bullet"))
    read_cols = [c for c in read.columns if c.startswith("readability_")]
    read[content].drop_duplicates("article_id")[["article_id", *read_cols]].to_parquet(
        out / "mk_readability.parquet")
    frame_cols = [c for c in frames.columns if c.startswith("frame_") and c != "frame_terms"]
    pd.concat([_ids(frames), frames[frame_cols].reset_index(drop=True)], axis=1).to_parquet(
        out / "mk_frames.parquet")
    groups.to_parquet(out / "mk_groups.parquet")
    terms.to_parquet(out / "mk_terms.parquet")
    stories[["article_id", "story_id"]].to_parquet(out / "mk_stories.parquet")
    one_day[["article_id", "story_id"]].to_parquet(out / "mk_stories_one_window.parquet")
    cov.alignment.to_parquet(out / "mk_coverage.parquet")
    (out / "measures.json").write_text(json.dumps(measures))
    result["input_hash"] = input_hash(out)
    return result


def naive_side(data: Path, out: Path, n_jobs: int) -> dict:
    import naive

    import mediakit as mk

    st = Stages()
    with st.stage("read"):
        raw = naive.read(data)
    with st.stage("split") as r:
        r["n_sentences"] = len(naive.split(raw))
    del raw
    # the scoring stages consume mediakit's frames (read here, not timed), so outputs compare
    articles = pd.read_parquet(out / "articles.parquet")
    sentences = pd.read_parquet(out / "sentences.parquet")
    measures = json.loads((out / "measures.json").read_text())
    n = len(sentences)
    with st.stage("sentiment", n_sentences=n):
        sent = naive.sentiment(sentences)
    with st.stage("readability", n_sentences=n):
        read = naive.readability(sentences)
    categories = {name: list(terms) for name, (_, terms) in
                  mk.load_lexicon("policy_frames").categories.items()}
    with st.stage("frames", n_sentences=n):
        frames = naive.frames(sentences, categories)
    per_article = read.set_index("article_id")
    content = sentences["kind"].isin(naive.CONTENT_KINDS)
    scored = sentences.copy()
    for c in per_article.columns:
        scored[c] = sentences["article_id"].map(per_article[c]).where(content)
    for c in [*sent.columns[2:], *frames.columns[2:]]:
        scored[c] = sent[c] if c in sent.columns else frames[c]
    with st.stage("compare_groups", n_sentences=n):
        groups = naive.compare_groups(scored, measures, by=GROUP_BY, n_boot=N_BOOT,
                                      n_perm=N_PERM)
    with st.stage("compare_terms", n_sentences=n):
        terms = naive.compare_terms(sentences, by=GROUP_BY)
    with st.stage("group_stories"):
        labels = naive.group_stories(articles)
    with st.stage("group_stories_one_window"):
        one_day = naive.group_stories(articles.iloc[:ONE_WINDOW_MAX].assign(published=ONE_DAY))
    with st.stage("coverage", n_sentences=n):
        cov = naive.coverage(sentences)
    result = st.close()
    result["input_hash"] = input_hash(out)
    sent.to_parquet(out / "nv_sentiment.parquet")
    read.to_parquet(out / "nv_readability.parquet")
    frames.to_parquet(out / "nv_frames.parquet")
    groups.to_parquet(out / "nv_groups.parquet")
    terms.to_parquet(out / "nv_terms.parquet")
    pd.DataFrame({"article_id": articles["article_id"], "label": labels}).to_parquet(
        out / "nv_stories.parquet")
    pd.DataFrame({"article_id": articles["article_id"].iloc[:ONE_WINDOW_MAX],
                  "label": one_day}).to_parquet(
        out / "nv_stories_one_window.parquet")
    cov.to_parquet(out / "nv_coverage.parquet")
    return result


def dask_side(data: Path, out: Path, n_jobs: int, keep: str = "memory") -> dict:
    """``analyze(data, engine="dask", keep=keep)`` on a LocalCluster of ``n_jobs`` worker
    processes (one thread each): the whole pipeline (read, stories, split, scores, groups,
    frames, terms, coverage, and the tables read off them), grouped by ``bias``; stage seconds
    from the analysis's own timing. ``keep="disk"``: the frames stay in Parquet files."""
    import dask
    import distributed

    import mediakit as mk

    warnings.simplefilter("ignore")
    st = Stages()
    with st.stage("cluster"), dask.config.set(P2P_CONFIG):  # the workers take this config
        cluster = distributed.LocalCluster(n_workers=n_jobs, threads_per_worker=1,
                                           processes=True, dashboard_address=None)
        client = distributed.Client(cluster)
    with st.stage("analyze"):
        result = mk.analyze(data, engine="dask", by=GROUP_BY, actors=False, n_boot=N_BOOT,
                            progress=False, read_kws={"on_error": "skip"}, keep=keep)
    concurrency = client.run(lambda: dask.config.get("distributed.p2p.comm.concurrency"))
    n_sentences = len(result.sentences)  # on disk: counted from the Parquet parts
    stories = result.articles["story_id"].nunique()
    n_stories = int(stories.compute() if hasattr(stories, "compute") else stories)
    client.close()
    cluster.close()
    res = st.close()
    res["dask_stages"] = dict(result.params.get("stage_seconds", {}))
    res["n_articles"] = len(result.articles)
    res["n_sentences"] = n_sentences
    res["n_stories"] = n_stories
    res["keep"] = keep
    res["p2p_comm_concurrency"] = sorted(concurrency.values())
    return res


def entities_side(data: Path, out: Path, n_jobs: int) -> dict:
    import mediakit as mk

    warnings.simplefilter("ignore", mk.MediakitWarning)
    articles = mk.read_articles(data, progress=False)
    sentences = mk.split_sentences(articles, progress=False)
    start = time.perf_counter()
    content = sentences[sentences["kind"].isin(("headline", "body", "bullet"))]
    mk.extract_entities(content.iloc[:1].copy(), progress=False)  # load the model first
    load = time.perf_counter() - start
    start = time.perf_counter()
    ents = mk.extract_entities(sentences, progress=False)
    seconds = time.perf_counter() - start
    content = int(sentences["kind"].isin(("headline", "body", "bullet")).sum())
    return {"n_articles": len(articles), "n_sentences": content, "seconds": seconds,
            "model_load_seconds": load, "sentences_per_second": content / seconds,
            "n_entities": len(ents)}


def formats_side(data: Path, out: Path, n_jobs: int) -> dict:
    """read_articles on the same articles as JSONL.gz, CSV and Parquet: time and peak memory."""
    import mediakit as mk

    warnings.simplefilter("ignore", mk.MediakitWarning)
    raw = pd.read_json(data, lines=True, dtype=False)
    raw.to_csv(out / "articles.csv", index=False)
    raw.to_parquet(out / "articles.parquet", row_group_size=1000)
    size = {"jsonl.gz": data.stat().st_size, "csv": (out / "articles.csv").stat().st_size,
            "parquet": (out / "articles.parquet").stat().st_size}
    del raw
    paths = {"jsonl.gz": data, "csv": out / "articles.csv", "parquet": out / "articles.parquet"}
    st = Stages()
    counts = {}
    for name, path in paths.items():
        with st.stage(name):
            counts[name] = len(mk.read_articles(path, progress=False))
    res = st.close()
    return {name: {**res["stages"][name], "n_articles": counts[name], "file_mb": size[name] / 2**20}
            for name in paths}


def _real_paragraphs(data: Path, limit_chars: int) -> list[str]:
    """Paragraphs of the benchmark's real articles, in order, up to ``limit_chars``."""
    paragraphs, size = [], 0
    for text in pd.read_json(data, lines=True, dtype=False, chunksize=500):
        for article in text["text"]:
            for para in str(article).split("\n"):
                if para.strip():
                    paragraphs.append(para.strip())
                    size += len(para) + 2
            if size >= limit_chars:
                return paragraphs
    return paragraphs


#: Stages timed on each pathological input, in order.
PATHOLOGICAL_STAGES = ("split", "sentiment", "readability", "frames", "coverage")
_OUTLETS_100K = 5
_STORY_SIZE_100K = 10


def pathological_frame(case: str, data: Path) -> pd.DataFrame:
    """Pathological articles built from real news text (so VADER's rules fire as in news).

    Single-article cases are outlet ``big`` in story ``big``; the 100,000 one-line articles
    come from 5 outlets in stories of 10 consecutive articles (2 per outlet).
    """
    big = {"article_id": ["a"], "outlet": ["big"], "story_id": ["big"]}
    if case == "article_10mb":
        paras = _real_paragraphs(data, 10_000_000)
        return pd.DataFrame({**big, "text": ["\n\n".join(paras)[:10_000_000]]})
    if case == "line_1mb_no_punctuation":
        paras = _real_paragraphs(data, 1_100_000)
        line = re.sub(r"[.!?;:\u2026]", "", " ".join(paras))[:1_000_000]
        return pd.DataFrame({**big, "text": [line]})
    if case == "articles_100k_one_line":
        paras = _real_paragraphs(data, 40_000_000)
        n = 100_000
        return pd.DataFrame({"article_id": [f"a{i:06d}" for i in range(n)],
                             "outlet": [f"O{i % _OUTLETS_100K}" for i in range(n)],
                             "story_id": [f"s{i // _STORY_SIZE_100K:05d}" for i in range(n)],
                             "text": [paras[i % len(paras)] for i in range(n)]})
    if case == "bullets_50k":
        paras = _real_paragraphs(data, 10_000_000)
        lines = [f"- {paras[i % len(paras)][:90]}" for i in range(50_000)]
        return pd.DataFrame({**big, "text": ["A list\n\n" + "\n".join(lines)]})
    raise SystemExit(f"unknown case {case!r}")


def _coverage_input(case: str, sentences: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The sentences compare_coverage gets, and what they are (coverage needs 2+ outlets)."""
    import mediakit as mk

    if case == "articles_100k_one_line":
        n_stories = sentences["story_id"].nunique()
        return sentences, (f"{n_stories:,} stories of {_STORY_SIZE_100K} one-line articles "
                           f"from {_OUTLETS_100K} outlets")
    seeds = mk.split_sentences(mk.load_example("seeds").assign(story_id="big"), progress=False)
    return (pd.concat([sentences, seeds], ignore_index=True),
            "the article against the two seed articles (two more outlets) in one story")


def pathological_side(data: Path, out: Path, n_jobs: int, case: str) -> dict:
    """Each stage on the input; the figures are written after every stage, so a run stopped by
    the hard timeout still leaves the stages that finished (and ``running``: the one that did
    not)."""
    import mediakit as mk

    warnings.simplefilter("ignore", mk.MediakitWarning)
    frame = pathological_frame(case, data)
    res = {"case": case, "n_chars": int(frame["text"].str.len().sum()),
           "n_articles": len(frame)}
    partial = out / f"pathological_{case}.json"
    st = Stages()

    def run(name, func, *args, **kwargs):
        res["running"] = name
        partial.write_text(json.dumps(res))
        with st.stage(name):
            got = func(*args, **kwargs)
        res[f"{name}_seconds"] = st.results[name]["seconds"]
        res[f"{name}_peak_rss_mb"] = st.results[name]["peak_rss_mb"]
        return got

    sentences = run("split", mk.split_sentences, frame, n_jobs=n_jobs, progress=False)
    res.update(n_sentences=len(sentences),
               longest_sentence_chars=int(sentences["text"].str.len().max()))
    run("sentiment", mk.score_sentiment, sentences, n_jobs=n_jobs, progress=False)
    run("readability", mk.score_readability, sentences, n_jobs=n_jobs, progress=False)
    run("frames", mk.score_frames, sentences, n_jobs=n_jobs, progress=False)
    cov_input, res["coverage_input"] = _coverage_input(case, sentences)
    coverage = run("coverage", mk.compare_coverage, cov_input, progress=False)
    res["coverage_alignment_rows"] = len(coverage.alignment)
    del res["running"]
    closed = st.close()
    res.update(peak_rss_mb=closed["peak_rss_mb"])
    return res


def main() -> None:
    side, data, out, n_jobs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    if side == "pathological":
        res = pathological_side(data, out, n_jobs, sys.argv[5])
        name = f"pathological_{sys.argv[5]}"
    elif side == "dask" and len(sys.argv) > 5:  # where the frames are kept
        res = dask_side(data, out, n_jobs, keep=sys.argv[5])
        name = f"dask_{sys.argv[5]}"
    else:
        res = {"mediakit": mediakit_side, "naive": naive_side, "entities": entities_side,
               "formats": formats_side, "dask": dask_side}[side](data, out, n_jobs)
        name = side
    (out / f"{name}.json").write_text(json.dumps(res, default=float))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
