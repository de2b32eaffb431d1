#!/usr/bin/env python3
"""make-sdmx.py AREAS PERIODS INDICATORS OUT.xml OUT.csv [OUT.json] - a deterministic SDMX data
set of AREAS x PERIODS x INDICATORS observations, written as an SDMX-ML 2.1 structure-specific
message (one Series per area and indicator), as SDMX-CSV 1.0 and, when asked, as SDMX-JSON 1.0
(the same observations). Values are a fixed function of the indices; every 13th observation
carries OBS_STATUS="p"."""
import json
import sys

areas, periods, inds = (int(x) for x in sys.argv[1:4])
xml_path, csv_path = sys.argv[4], sys.argv[5]
json_path = sys.argv[6] if len(sys.argv) > 6 else None


def value(a, i, p):
    return ((a * 7919 + i * 104729 + p * 1299709) % 1000003) / 100.0


with open(xml_path, "w", encoding="utf-8") as x, open(csv_path, "w", encoding="utf-8") as c:
    x.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<message:StructureSpecificData '
            'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
            'xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
            '<message:Header><message:ID>BENCH</message:ID><message:Test>true</message:Test>'
            '<message:Structure structureID="BENCH" dimensionAtObservation="TIME_PERIOD">'
            '</message:Structure></message:Header>\n'
            '<message:DataSet ss:structureRef="BENCH">\n')
    c.write("DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n")
    n = 0
    for a in range(areas):
        for i in range(inds):
            x.write('<Series FREQ="A" REF_AREA="A%05d" INDICATOR="IND%02d">\n' % (a, i))
            for p in range(periods):
                v = value(a, i, p)
                st = "p" if n % 13 == 0 else ""
                year = 1970 + p
                if st:
                    x.write('<Obs TIME_PERIOD="%d" OBS_VALUE="%.2f" OBS_STATUS="%s"/>\n'
                            % (year, v, st))
                else:
                    x.write('<Obs TIME_PERIOD="%d" OBS_VALUE="%.2f"/>\n' % (year, v))
                c.write("BENCH:DF(1.0),A,A%05d,IND%02d,%d,%.2f,%s\n" % (a, i, year, v, st))
                n += 1
            x.write("</Series>\n")
    x.write("</message:DataSet>\n</message:StructureSpecificData>\n")

if json_path:
    structure = {
        "dimensions": {
            "series": [{"id": "FREQ", "values": [{"id": "A"}]},
                       {"id": "REF_AREA", "values": [{"id": "A%05d" % a} for a in range(areas)]},
                       {"id": "INDICATOR", "values": [{"id": "IND%02d" % i} for i in range(inds)]}],
            "observation": [{"id": "TIME_PERIOD",
                             "values": [{"id": str(1970 + p)} for p in range(periods)]}]},
        "attributes": {"observation": [{"id": "OBS_STATUS", "values": [{"id": "p"}]}]}}
    with open(json_path, "w", encoding="utf-8") as j:
        j.write('{"header": {}, "structure": %s, "dataSets": [{"series": {' % json.dumps(structure))
        n = 0
        for a in range(areas):
            for i in range(inds):
                obs = ",".join('"%d":[%.2f,%s]' % (p, value(a, i, p),
                                                   "0" if (n + p) % 13 == 0 else "null")
                               for p in range(periods))
                j.write('%s"0:%d:%d":{"observations":{%s}}' % ("," if n else "", a, i, obs))
                n += periods
        j.write("}}]}\n")
