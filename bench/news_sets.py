#!/usr/bin/env python3
"""Build news-search tuning families from ../shared/data/news.

The question sets (retrieval/) judge short answer passages pooled among long
news articles; a ranking fitted on them learns that shorter is better. These
families judge news articles the way an archive is searched, and are written
BEIR-like (corpus.jsonl, queries.jsonl, qrels.tsv) under bench/out/news/
(git-ignored; nothing of the data goes into the repository), one folder per
family, each with a seeded split of its queries into a fit fold
(qrels-fit.tsv) and a held-back fold (qrels-held.tsv): fit and choose on the
first, report on the second. `newsidx eval` skips queries without a
judgement, so a fold is just its qrels file.

known_item  An article's headline, typed as unquoted keywords (a column tag
    such as 【领航中国】 dropped), must find that article. The corpus is
    news_all.jsonl with every headline removed, so the words have to be
    found in the body. Targets: articles of CCTV 新闻联播 and Sogou whose
    headline occurs once in news_all, has at least 6 characters and whose
    body has at least 50; drawn uniformly, so target lengths follow the
    archive's (a 5,000-character report is as likely a target as a brief).
    Rewards: finding the one article whose body holds most of the words,
    close together (a headline is a summary of the article's lead).
    May bias: towards coverage of many query words and towards articles
    that repeat the headline's wording; one relevant article per query, so
    a near-copy of the target (collapsed in eval as in search) or a second
    report of the same event counts as a miss.

entity_topic  A name (person, place or organisation, by jieba's
    part-of-speech tags nr/ns/nt) and a topic word (a noun or verbal noun of two or
    more characters) from one headline, as the query "name word"; relevant
    are all articles whose headline contains both (2 to 30 of them). The
    corpus is news_all.jsonl as it is, headlines indexed. Names may appear
    in at most 5 queries each. What a journalist types to find the
    coverage of someone or somewhere on a subject.
    Rewards: articles about both (the title, the lead, repeated mentions)
    over articles that mention them in passing.
    May bias: towards title matches (relevance is read off the headline,
    so an article about both under another headline counts as not
    relevant); news_all is mostly 新闻联播, so names of officials and
    countries dominate.

lcsts  The human summary of an LCSTS post (PART III, summary quality label
    3 or more) as unquoted keywords → that post, indexed without the
    summary. The corpus is the 1,106 posts alone (about 110 characters
    each), so length says nothing and the news articles, which would make
    every target the shortest candidate, are left out.
    Rewards: matching a paraphrase: a summary shares only some words with
    its post, so term weighting and partial matches decide.
    May bias: towards short, dense, Weibo-style text; few distractors.

long_answer  A question of the tuning question sets (retrieval/: CMRC 2018
    trial, DRCD dev, DuReader-robust half) → the long article its answer
    passage was buried in. Half of each set's passages (seeded) are buried:
    each becomes a section (its own title as a heading line, then its text)
    at a random depth among the bodies of 2 to 8 random news_all articles,
    under the first one's headline, so the answer sits deep inside an
    article of several thousand characters whose title says nothing of it.
    The other half stay as they are (short), beside 5,000 random news_all
    articles as they are. Queries: up to --long-answer questions (seeded,
    the three sets mixed) whose answer passage was buried; relevant is the
    long article. Tune on retrieval/ only: this reuses its questions and
    passages, never holdout/.
    Rewards: local evidence (a passage that answers the question) over
    document-wide length normalisation; titles that do not match.
    May bias: the news around the answer is unrelated to it (a real long
    document's other sections are usually about the same subject).

    python3 bench/news_sets.py [--data ../shared/data] [--out bench/out/news]
        [--seed 17] [--known-item 1500] [--entity-topic 1000] [--long-answer 900]

Needs jieba 0.42.1 (PyPI) for entity_topic; bench/quality.sh installs it in
bench/out/venv. Same seed, same data, same jieba → same files.
"""
import argparse
import collections
import hashlib
import json
import os
import random
import re
import sys

FAMILIES = ("known_item", "entity_topic", "lcsts", "long_answer")
QUESTION_SETS = ("cmrc2018_trial", "drcd_dev", "dureader_robust_half")

# A column tag at the start of a headline: 【领航中国】, [视频].
COLUMN = re.compile(r"^\s*(【[^】]*】|\[[^\]]*\])\s*")


def write_family(out, name, corpus, queries, qrels, seed):
    """Writes one family and its seeded fit / held-back split (half each)."""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for doc in corpus:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(os.path.join(d, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    ids = [q["id"] for q in queries]
    rng = random.Random("%s-%s-folds" % (seed, name))
    shuffled = ids[:]
    rng.shuffle(shuffled)
    fit = set(shuffled[: len(ids) // 2])
    folds = {"qrels.tsv": lambda q: True,
             "qrels-fit.tsv": lambda q: q in fit,
             "qrels-held.tsv": lambda q: q not in fit}
    for fname, keep in folds.items():
        with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
            f.write("query-id\tcorpus-id\tscore\n")
            for qid in ids:
                if keep(qid):
                    for pid in qrels[qid]:
                        f.write("%s\t%s\t1\n" % (qid, pid))
    judged = sum(len(qrels[q]) for q in ids)
    print("%-13s %6d articles %5d queries (%d fit, %d held back), %d judgements" % (
        name, len(corpus), len(ids), len(fit), len(ids) - len(fit), judged), file=sys.stderr)
    return {"articles": len(corpus), "queries": len(ids), "fit": len(fit),
            "held": len(ids) - len(fit), "judgements": judged}


def headless(doc):
    """The article as indexed without its headline."""
    return {"id": doc["id"], "title": "", "date": doc.get("date"), "source": doc.get("source"),
            "body": doc.get("body") or ""}


def known_item(news, n, seed):
    titles = collections.Counter((d.get("title") or "").strip() for d in news)
    eligible = []
    for d in news:
        t = (d.get("title") or "").strip()
        if d["source"] not in ("cctv_xwlb", "sogouca", "sogoucs") or titles[t] != 1:
            continue
        q = COLUMN.sub("", t).strip()
        if len(q) < 6 or len((d.get("body") or "").strip()) < 50:
            continue
        eligible.append((d["id"], q))
    rng = random.Random("%s-known_item" % seed)
    picked = rng.sample(eligible, min(n, len(eligible)))
    picked.sort()
    queries = [{"id": "ki-%04d" % i, "text": q, "target": pid} for i, (pid, q) in enumerate(picked)]
    qrels = {q["id"]: [q["target"]] for q in queries}
    return [headless(d) for d in news], queries, qrels


def entity_topic(news, n, seed):
    import jieba
    import jieba.posseg as pseg
    jieba.setLogLevel(60)
    docs = [(d["id"], (d.get("title") or "").strip()) for d in news]
    docs = [(i, t) for i, t in docs if t]
    names, topics = collections.defaultdict(set), collections.defaultdict(set)
    cut = {}
    for i, t in docs:
        cut[i] = []
        for w in pseg.cut(t):
            word, flag = w.word.strip(), w.flag
            if len(word) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
                continue
            if flag in ("nr", "ns", "nt"):
                names[word].add(i)
                cut[i].append((word, "name"))
            elif flag in ("n", "vn"):
                topics[word].add(i)
                cut[i].append((word, "topic"))
    # Words found in more than one headline in fifty say nothing.
    common = {w for w, s in topics.items() if len(s) > len(docs) // 50}
    pairs = collections.Counter()
    for i, words in cut.items():
        found = {w for w, k in words if k == "name"}
        for name in found:
            for w in {w for w, k in words if k == "topic"}:
                if w not in common and w not in name and name not in w:
                    pairs[(name, w)] += 1
    # Pairs that share a headline at least twice, in a seeded order.
    cands = sorted(p for p, c in pairs.items() if c >= 2)
    rng = random.Random("%s-entity_topic" % seed)
    rng.shuffle(cands)
    with_name = {}
    per_name, picked = collections.Counter(), []
    for name, topic in cands:
        if per_name[name] >= 5:
            continue
        if name not in with_name:
            with_name[name] = [(i, t) for i, t in docs if name in t]
        rel = [i for i, t in with_name[name] if topic in t]
        if not 2 <= len(rel) <= 30:
            continue
        per_name[name] += 1
        picked.append((name, topic, rel))
        if len(picked) >= n:
            break
    queries = [{"id": "et-%04d" % k, "text": "%s %s" % (name, topic)}
               for k, (name, topic, _) in enumerate(picked)]
    qrels = {q["id"]: rel for q, (_, _, rel) in zip(queries, picked)}
    return list(news), queries, qrels


def lcsts(raw):
    docs = re.findall(r"<doc id=(\d+)>(.*?)</doc>", raw, re.S)
    corpus, queries, qrels = [], [], {}
    for num, inner in docs:
        def field(tag):
            m = re.search(r"<%s>(.*?)</%s>" % (tag, tag), inner, re.S)
            return m.group(1).strip() if m else ""
        pid = "lcsts3-%s" % num
        corpus.append({"id": pid, "title": "", "body": field("short_text")})
        label = field("human_label")
        if label.isdigit() and int(label) >= 3 and field("summary"):
            qid = "lc-%s" % num
            queries.append({"id": qid, "text": field("summary")})
            qrels[qid] = [pid]
    return corpus, queries, qrels


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(path):
    rel = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3 and cols[2].isdigit() and int(cols[2]) > 0:
                rel[cols[0]].append(cols[1])
    return rel


def long_answer(news, retrieval, n, seed):
    """Answer passages buried inside long articles made of news bodies."""
    rng = random.Random("%s-long_answer" % seed)
    bodies = [d for d in news if len((d.get("body") or "").strip()) >= 200]
    corpus, candidates, qrels = [], [], {}
    for name in QUESTION_SETS:
        base = os.path.join(retrieval, name)
        passages = read_jsonl(os.path.join(base, "corpus.jsonl"))
        questions = {q["id"]: q for q in read_jsonl(os.path.join(base, "queries.jsonl"))}
        rel = read_qrels(os.path.join(base, "qrels.tsv"))
        buried = set(p["id"] for p in rng.sample(passages, len(passages) // 2))
        for p in passages:
            if p["id"] not in buried:
                corpus.append({"id": p["id"], "title": p.get("title") or "", "body": p["text"]})
                continue
            around = rng.sample(bodies, rng.randint(2, 8))
            section = "%s\n%s" % (p.get("title") or "", p["text"])
            parts = [d["body"].strip() for d in around]
            parts.insert(rng.randint(1, len(parts)), section)
            corpus.append({"id": "long-" + p["id"], "title": around[0].get("title") or "",
                           "date": around[0].get("date"), "source": around[0].get("source"),
                           "body": "\n\n".join(parts)})
        for qid, pids in sorted(rel.items()):
            if qid in questions and all(pid in buried for pid in pids):
                candidates.append((questions[qid]["text"], ["long-" + pid for pid in pids]))
    taken = set(d["id"] for d in corpus)
    others = [d for d in news if d["id"] not in taken]
    corpus += [dict(d) for d in rng.sample(others, min(5000, len(others)))]
    picked = rng.sample(candidates, min(n, len(candidates)))
    queries = [{"id": "la-%04d" % i, "text": text} for i, (text, _) in enumerate(picked)]
    for q, (_, pids) in zip(queries, picked):
        qrels[q["id"]] = pids
    return corpus, queries, qrels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="bench/out/news")
    ap.add_argument("--seed", default="17")
    ap.add_argument("--known-item", type=int, default=1500)
    ap.add_argument("--entity-topic", type=int, default=1000)
    ap.add_argument("--long-answer", type=int, default=900)
    ap.add_argument("--only", default=",".join(FAMILIES), help="families to build")
    args = ap.parse_args()
    news_path = os.path.join(args.data, "news", "news_all.jsonl")
    lcsts_path = os.path.join(args.data, "news", "raw", "lcsts", "PART_III.txt")
    for p in (news_path, lcsts_path):
        if not os.path.exists(p):
            print("news_sets.py: %s: missing" % p, file=sys.stderr)
            return 2
    with open(news_path, encoding="utf-8") as f:
        news = [json.loads(line) for line in f if line.strip()]
    with open(news_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    only = set(args.only.split(","))
    manifest = {}
    old = os.path.join(args.out, "manifest.json")
    if os.path.exists(old):
        with open(old, encoding="utf-8") as f:
            manifest = json.load(f)
    manifest.update({"seed": args.seed, "news_all_sha256": digest})
    if "known_item" in only:
        manifest["known_item"] = write_family(
            args.out, "known_item", *known_item(news, args.known_item, args.seed), args.seed)
    if "entity_topic" in only:
        manifest["entity_topic"] = write_family(
            args.out, "entity_topic", *entity_topic(news, args.entity_topic, args.seed),
            args.seed)
    if "lcsts" in only:
        with open(lcsts_path, encoding="utf-8") as f:
            manifest["lcsts"] = write_family(args.out, "lcsts", *lcsts(f.read()), args.seed)
    if "long_answer" in only:
        manifest["long_answer"] = write_family(
            args.out, "long_answer",
            *long_answer(news, os.path.join(args.data, "retrieval"), args.long_answer, args.seed),
            args.seed)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
