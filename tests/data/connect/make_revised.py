#!/usr/bin/env python3
"""make_revised.py - the "revised" Istat answer used by the tests and the demo, made from the real
recorded one: the 2023 value of Agliè (001001) goes from 20 to 25; every other byte is kept.
Usage: python3 make_revised.py [IN.xml [OUT.xml]]"""
import sys, os

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "istat-47_850-data.xml")
dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "istat-47_850-data-revised.xml")
body = open(src, encoding="utf-8").read()
# the series of 001001 comes first; its 2023 observation is the one to revise
start = body.index('value="001001"')
end = body.index("</generic:Series>", start)
old = '<generic:ObsDimension id="TIME_PERIOD" value="2023" /><generic:ObsValue value="20" />'
new = '<generic:ObsDimension id="TIME_PERIOD" value="2023" /><generic:ObsValue value="25" />'
at = body.index(old, start, end)
body = body[:at] + new + body[at + len(old):]
open(dst, "w", encoding="utf-8").write(body)
