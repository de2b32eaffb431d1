#!/usr/bin/env python3
"""decode-recorded.py RECORD.json OUT - write the body of a requests-cache record (as recorded by
the sdmx1 client's tests in khaeru/sdmx-test-data, recorded/*.json: base64 `_content`) to OUT, and
print the URL it answered."""
import base64
import json
import sys

rec = json.load(open(sys.argv[1], encoding="utf-8"))
body = rec["_content"]
data = base64.b64decode(body) if isinstance(body, str) else bytes(body)
with open(sys.argv[2], "wb") as f:
    f.write(data)
print(rec["url"], rec["status_code"], len(data), "bytes")
