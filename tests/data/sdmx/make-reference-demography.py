#!/usr/bin/env python3
"""make-reference-demography.py - the observations of ESTAT/demography-xs.xml (SDMX-ML 2.1
structure-specific with explicit measures: the measure dimension DEMO is the xsi:type of each
Obs), which rsdmx 0.6.2 cannot read, read with Python's standard xml.etree.ElementTree into
reference/estat_demography_xs.csv (FREQ, TIME_PERIOD, SEX, COUNTRY, DEMO, OBS_VALUE, OBS_STATUS).
Run from this directory: python3 make-reference-demography.py"""
import csv
import xml.etree.ElementTree as ET

XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"
rows = []
for series in ET.parse("ESTAT/demography-xs.xml").iter("Series"):
    for obs in series.iter("Obs"):
        rows.append([series.get("FREQ"), series.get("TIME_PERIOD"), series.get("SEX"),
                     series.get("COUNTRY"), obs.get(XSI).split(":")[-1], obs.get("OBS_VALUE"),
                     obs.get("OBS_STATUS") or ""])
with open("reference/estat_demography_xs.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL)
    w.writerow(["FREQ", "TIME_PERIOD", "SEX", "COUNTRY", "DEMO", "OBS_VALUE", "OBS_STATUS"])
    w.writerows(rows)
print(len(rows), "observations")
