#!/usr/bin/env python3
"""Reuters development-set targets for places (as countries the article is about) and people
(surname recall), from the scorer's JSON summaries: `check_reuters.py ABOUT.json [ALL.json]`."""
import json
import sys

s = json.load(open(sys.argv[1]))
places = s["places"]["all"]
people = s["people"]["all"]
print(f"places (countries the article is about): P {places['precision']} R {places['recall']} F1 {places['f1']}")
if len(sys.argv) > 2:
    a = json.load(open(sys.argv[2]))["places"]["all"]
    print(f"places (every mentioned place):          P {a['precision']} R {a['recall']} F1 {a['f1']}")
print(f"people: surname recall {people['recall']}, precision (lower bound) {people['precision_lower_bound']}")
TARGETS = {"places_recall": 0.95, "places_precision": 0.80, "people_recall": 0.95}
problems = []
if places["recall"] < TARGETS["places_recall"]:
    problems.append(f"places recall {places['recall']} < {TARGETS['places_recall']}")
if places["precision"] < TARGETS["places_precision"]:
    problems.append(f"places precision {places['precision']} < {TARGETS['places_precision']}")
if people["recall"] < TARGETS["people_recall"]:
    problems.append(f"people recall {people['recall']} < {TARGETS['people_recall']}")
if problems:
    sys.exit("Reuters check failed: " + "; ".join(problems))
