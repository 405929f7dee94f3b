#!/usr/bin/env python3
"""Seed-article check: after ingesting the example article, `facets people`, `facets places` and
`facets orgs` list exactly the people, places and organizations a careful reader of it would name,
each once, in canonical form.

usage: check_seed.py NEWSDEX_BIN SEED_FILE INDEX_DIR
"""
import json
import subprocess
import sys

bin_, seed, index = sys.argv[1:4]
PEOPLE = ["Jan Kubis", "Khalifa Haftar", "Stephanie Williams", "Najla Mangoush",
          "Yevgeny Prigozhin", "Vladimir Putin", "Moammar Gadhafi"]
COUNTRIES = ["Libya", "Switzerland", "Afghanistan", "Kuwait", "Russia", "Egypt",
             "United Arab Emirates", "Turkey", "Sudan"]
IN_LIBYA = ["Tripoli", "Sirte", "Al Jufrah"]
# Darfur spans five GeoNames regions of Sudan and is none of them: it keeps its name under the
# unknown-country branch.
UNRESOLVED = ["Darfur"]
ORGS = ["Joint Military Commission", "Independent Election Commission",
        "United Nations Support Mission in Libya", "United Nations", "Wagner Group",
        "United States Africa Command"]


def newsdex(*args):
    p = subprocess.run([bin_, *args, "--index", index], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(f"`newsdex {' '.join(args)}` exited {p.returncode}")
    return p.stdout


newsdex("ingest", seed)
people = [v["name"] for v in json.loads(newsdex("facets", "people", "--json", "--top", "50"))["values"]]
places = [v["name"] for v in json.loads(newsdex("facets", "places", "--json", "--top", "50"))["values"]]
libya = [v["name"] for v in json.loads(newsdex("facets", "places", "--under", "Libya", "--json", "--top", "50"))["values"]]
orgs = [v["name"] for v in json.loads(newsdex("facets", "orgs", "--json", "--top", "50"))["values"]]
unresolved = json.loads(newsdex("facets", "places", "--under", "Unresolved", "--json", "--top", "50"))["values"]
print("people:", people)
print("places:", places)
print("in Libya:", libya)
print("organizations:", orgs)
problems = []
for what, got, want in [("people", people, PEOPLE), ("countries", places, COUNTRIES),
                        ("places in Libya", libya, IN_LIBYA), ("organizations", orgs, ORGS)]:
    if sorted(got) != sorted(want):
        problems.append(f"{what}: missing {sorted(set(want) - set(got))}, "
                        f"unexpected {sorted(set(got) - set(want))}")
if sorted(v["name"] for v in unresolved) != UNRESOLVED:
    problems.append(f"unresolved places: {[v['name'] for v in unresolved]} (expected {UNRESOLVED})")
if problems:
    sys.exit("seed check failed: " + "; ".join(problems))
print("seed check passed")
