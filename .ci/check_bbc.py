#!/usr/bin/env python3
"""BBC corpus check: every file accounted for, no encoding loss, duplicates collapse, a second
ingest adds nothing, and search and facets answer.

usage: check_bbc.py NEWSDEX_BIN BBC_DIR INDEX_DIR
"""
import json
import os
import subprocess
import sys

bin_, bbc, index = sys.argv[1:4]
errors = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        errors.append(msg)


def run(*args, expect=(0,)):
    p = subprocess.run([bin_, *args, "--index", index], capture_output=True, text=True)
    if p.returncode not in expect:
        sys.stderr.write(p.stderr)
        sys.exit(f"`newsdex {' '.join(args)}` exited {p.returncode}")
    return p


files = sum(1 for d, _, fs in os.walk(bbc) for f in fs if not f.startswith("."))
articles = sum(1 for d, _, fs in os.walk(bbc) for f in fs if f.endswith(".txt"))
p = run("ingest", bbc, "--json")
s = json.loads(p.stdout)
print("first ingest:", {k: s[k] for k in ("inputs", "articles", "added", "duplicates", "unchanged", "replaced", "elapsed_seconds", "articles_per_second")})
check(articles == 2225, f"2,225 article files in the corpus (found {articles})")
check(s["inputs"] == files, f"every file read ({s['inputs']} of {files}, README.TXT included)")
skipped_txt = [x for x in s["skipped"] if x["origin"].endswith(".txt")]
check(not skipped_txt, f"no article file skipped ({skipped_txt[:3]})")
check(s["added"] + s["duplicates"] + len(s["skipped"]) == s["inputs"],
      f"added {s['added']} + duplicates {s['duplicates']} + skipped {len(s['skipped'])} = files read {s['inputs']}")
# 98 files are byte-identical copies of another; 2 more differ from another only in whitespace,
# which the content-derived id normalizes away.
check(s["duplicates"] == 100, f"98 exact duplicates and 2 whitespace variants collapse ({s['duplicates']})")
docs = s["added"]
check(s["documents"] == docs == s["inputs"] - s["duplicates"] - len(s["skipped"]), f"index holds one document per distinct text ({s['documents']})")
warned = [w for w in s["warnings"] if "199.txt" in w["origin"]]
check(len(warned) == 1 and "1252" in warned[0]["reason"], f"sport/199.txt decoded as Windows-1252 with a warning ({warned})")

p = run("ingest", bbc, "--json")
s2 = json.loads(p.stdout)
check(s2["added"] == 0 and s2["replaced"] == 0 and s2["duplicates"] == 0,
      f"second ingest adds nothing (added {s2['added']}, replaced {s2['replaced']}, duplicates {s2['duplicates']})")
check(s2["unchanged"] == s["articles"], f"second ingest: all {s['articles']} articles unchanged ({s2['unchanged']})")
check(s2["documents"] == docs, f"still {docs} documents")

# The Windows-1252 article keeps its pound sign.
p = run("search", "Mutu Parma signing", "--json", "--limit", "50", expect=(0, 1))
hits = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
p199 = [h for h in hits if any(o.endswith(os.path.join("sport", "199.txt")) for o in h["origins"])]
check(bool(p199), "sport/199.txt is searchable")
check(any("\u00a315.8m" in h["snippet"] for h in p199), "its pound sign survived decoding")

p = run("search", "economy growth", "--json", "--limit", "5")
hits = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
check(len(hits) == 5, "search 'economy growth' returns 5 hits")
fields = {"rank", "id", "score", "title", "date", "source", "origins", "snippet", "highlights", "people", "places", "orgs"}
check(all(fields <= set(h) for h in hits), "hits carry the documented JSON fields")
check(all(h["highlights"] for h in hits), "every hit's snippet highlights a matched term")

p = run("facets", "people", "--json", "--top", "10")
people = json.loads(p.stdout)
names = [v["name"] for v in people["values"]]
print("top people:", names)
check(len(names) == 10, "facets people lists 10 people")
check("Tony Blair" in names, "Tony Blair among the top people of BBC 2004-05 news")
p = run("facets", "places", "--json", "--top", "10")
places = [v["name"] for v in json.loads(p.stdout)["values"]]
print("top places:", places)
check("United Kingdom" in places[:3], "the United Kingdom among the top 3 countries")
p = run("facets", "people", "election", "--rank", "significance", "--json", "--top", "5")
sig = json.loads(p.stdout)
print("people significant for 'election':", [(v["name"], v["count"], v["archive_count"]) for v in sig["values"]])
check(len(sig["values"]) > 0, "significance ranking answers")
p = run("search", "*", "--person", "blair", "--json", "--limit", "1")
check(bool(p.stdout.strip()), "--person blair resolves and finds articles")

if errors:
    sys.exit(f"BBC check failed: {len(errors)} problem(s)")
