#!/usr/bin/env python3
"""Seed-article check: after ingesting the example article, `facets people` and `facets places`
list the people and places a reader of it would name, in canonical form.

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
IN_LIBYA = ["Tripoli", "Sirte"]


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
print("people:", people)
print("places:", places)
print("in Libya:", libya)
missing = [p for p in PEOPLE if p not in people] + [c for c in COUNTRIES if c not in places] \
    + [c for c in IN_LIBYA if c not in libya]
# Junk check: every listed person should be one of the expected people.
extra = [p for p in people if p not in PEOPLE]
if extra:
    print("people listed beyond the expected ones:", extra)
if missing:
    sys.exit(f"seed check failed: missing {missing}")
if len(extra) > 1:
    sys.exit(f"seed check failed: non-people listed as people {extra}")
print("seed check passed")
