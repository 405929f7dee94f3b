#!/usr/bin/env python3
"""Reuters development-set floors for place (as countries) and people extraction, from the
scorer's JSON summary. The floors guard against regressions; the README gives current figures."""
import json
import sys

s = json.load(open(sys.argv[1]))
places = s["places"]["all"]
people = s["people"]["all"]
print(f"places P {places['precision']} R {places['recall']} F1 {places['f1']}")
print(f"people recall {people['recall']} precision (lower bound) {people['precision_lower_bound']}")
FLOORS = {"places_f1": 0.81, "people_recall": 0.70}
problems = []
if places["f1"] < FLOORS["places_f1"]:
    problems.append(f"places F1 {places['f1']} < {FLOORS['places_f1']} (plain-lookup baseline)")
if people["recall"] < FLOORS["people_recall"]:
    problems.append(f"people recall {people['recall']} < {FLOORS['people_recall']}")
if problems:
    sys.exit("Reuters check failed: " + "; ".join(problems))
