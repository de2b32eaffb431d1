#!/usr/bin/env python3
"""make_formats.py SOLIDATA - the SDMX-CSV 1.0 and SDMX-JSON 1.0 versions of the recorded Istat
answer istat-47_850-data.xml, for the test of connectors that ask for those formats (1312).

The observations are read from the recorded XML by `SOLIDATA sdmx read` (one row per observation,
a column per dimension, OBS_VALUE, OBS_STATUS) and written in the two formats as the SDMX
standard lays them out: SDMX-CSV 1.0 with the DATAFLOW column first ("IT1:47_850(1.0)"), and an
SDMX-JSON 1.0 data message with the series keyed by dimension positions ("0:0:0:0:0:0") and the
periods as the observation dimension. They are made here, not recorded: Istat serves both formats
but the recordings hold only SDMX-ML. Each has a .headers.json beside it with the same URL as the
recorded XML and "accept" saying which Accept header of the request it answers.
Run: python3 make_formats.py ../../../build/solidata"""
import csv, io, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
solidata = sys.argv[1]
out = subprocess.run([solidata, "sdmx", "read", os.path.join(here, "istat-47_850-data.xml")],
                     check=True, capture_output=True, text=True).stdout
rows = list(csv.DictReader(io.StringIO(out)))
dims = [c for c in rows[0].keys() if c not in ("OBS_VALUE", "OBS_STATUS")]
series_dims = [d for d in dims if d != "TIME_PERIOD"]
rec = json.load(open(os.path.join(here, "istat-47_850-data.headers.json"), encoding="utf-8"))

# SDMX-CSV 1.0
with open(os.path.join(here, "istat-47_850-data-sdmxcsv.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["DATAFLOW"] + dims + ["OBS_VALUE", "OBS_STATUS"])
    for r in rows:
        w.writerow(["IT1:47_850(1.0)"] + [r[d] for d in dims] + [r["OBS_VALUE"], r["OBS_STATUS"]])

# SDMX-JSON 1.0
values = {d: [] for d in dims}
for r in rows:
    for d in dims:
        if r[d] not in values[d]:
            values[d].append(r[d])
series = {}
for r in rows:
    key = ":".join(str(values[d].index(r[d])) for d in series_dims)
    obs = series.setdefault(key, {"attributes": [], "observations": {}})["observations"]
    v = r["OBS_VALUE"]
    obs[str(values["TIME_PERIOD"].index(r["TIME_PERIOD"]))] = [float(v) if v != "" else None]
msg = {
    "header": {"id": "IT1_47_850_sdmxjson", "test": False, "prepared": "2026-05-18T00:00:00Z",
               "sender": {"id": "IT1"}},
    "dataSets": [{"action": "Information", "series": series}],
    "structure": {
        "name": "Servizi socio-educativi per la prima infanzia",
        "dimensions": {
            "dataSet": [],
            "series": [{"id": d, "name": d, "keyPosition": i, "values": [{"id": x, "name": x} for x in values[d]]}
                       for i, d in enumerate(series_dims)],
            "observation": [{"id": "TIME_PERIOD", "name": "TIME_PERIOD", "role": "time",
                             "values": [{"id": x, "name": x} for x in values["TIME_PERIOD"]]}]},
        "attributes": {"dataSet": [], "series": [], "observation": []}}}
with open(os.path.join(here, "istat-47_850-data-sdmxjson.json"), "w", encoding="utf-8") as f:
    json.dump(msg, f, indent=1)
    f.write("\n")

for kind, ctype in (("csv", "application/vnd.sdmx.data+csv;version=1.0.0; charset=utf-8"),
                    ("json", "application/vnd.sdmx.data+json;version=1.0.0; charset=utf-8")):
    h = {"url": rec["url"], "status_code": 200, "reason": "OK", "accept": kind,
         "headers": {"Content-Type": ctype},
         "made_here": "made by make_formats.py from istat-47_850-data.xml (see README.md)"}
    with open(os.path.join(here, "istat-47_850-data-sdmx%s.headers.json" % kind), "w") as f:
        f.write(json.dumps(h, indent=1) + "\n")
