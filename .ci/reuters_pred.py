#!/usr/bin/env python3
"""Turns `newsdex entities --json` output into the Reuters scorer's prediction format.

An article is taken to be about the countries of its salient places (dateline, title, prominent or
repeated places) and about every country it names outright; a city or region mentioned in passing
does not make the article about its country. People are passed through by canonical name.

    reuters_pred.py ENTITIES.jsonl OUT.jsonl [--all-places]

With --all-places every mentioned place counts (the figure for all mentions)."""
import json
import sys

src, out = sys.argv[1], sys.argv[2]
all_places = "--all-places" in sys.argv[3:]


def is_country(place):
    return place.get("region") is None and place.get("country") == place["name"]


with open(src) as f, open(out, "w") as w:
    for line in f:
        doc = json.loads(line)
        places = [
            {"name": p["name"], "country": p.get("country_code")}
            for p in doc["places"]
            if p.get("country_code") and (all_places or p["salient"] or is_country(p))
        ]
        people = [p["name"] for p in doc["people"]]
        w.write(json.dumps({"id": doc["id"], "places": places, "people": people}) + "\n")
