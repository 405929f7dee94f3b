#!/usr/bin/env python3
"""Checks `newsdex eval-ner --json` figures against the tagger's dev-set targets."""
import json
import sys

TARGETS = {"PER": 0.95, "LOC": 0.94}
MICRO_TARGET = 0.91

report = json.load(open(sys.argv[1]))
failures = []
for kind, target in TARGETS.items():
    f1 = report["types"][kind]["f1"]
    print(f"{kind} F1 {f1:.4f} (target {target})")
    if f1 < target:
        failures.append(f"{kind} F1 {f1:.4f} < {target}")
micro = report["micro"]["f1"]
print(f"micro F1 {micro:.4f} (target {MICRO_TARGET}); PER+LOC F1 {report['per_loc']['f1']:.4f}")
if micro < MICRO_TARGET:
    failures.append(f"micro F1 {micro:.4f} < {MICRO_TARGET}")
print(f"{report['tokens']} tokens, {report['tokens_per_second']:.0f} tokens/s")
if failures:
    sys.exit("NER check failed: " + "; ".join(failures))
