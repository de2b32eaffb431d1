# report_lib.sh - helpers for the tests of the atlas (solidata report).

# no_english FILE... : fails when a file holds an English message of the report: every literal
# stretch (12 characters or more, two words or more) between the placeholders of the messages of
# src/run/report*.c, as the catalogue extracts them, searched in the text of each HTML file.
no_english() {
    xgettext --language=C --from-code=UTF-8 -ksol_lgettext:2 -ksol_lngettext:2,3 --omit-header \
        -o "$T/report.pot" "$TOP"/src/run/report*.c
    python3 - "$T/report.pot" "$@" <<'PY' || fail "English left in the atlas"
import html, re, sys
pot = open(sys.argv[1], encoding="utf-8").read()
msgs = []
for m in re.finditer(r'^(msgid|msgid_plural) ((?:".*"\n)+)', pot, re.M):
    s = "".join(re.findall(r'"(.*)"', m.group(2)))
    msgs.append(s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
pieces = set()
for s in msgs:
    for p in re.split(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp%]", s):
        p = p.strip(" .,:;()")
        if len(p) >= 12 and " " in p:
            pieces.add(p)
assert len(pieces) > 60, len(pieces)
bad = 0
for f in sys.argv[2:]:
    text = html.unescape(re.sub(r"<[^>]*>", "\n", open(f, encoding="utf-8").read()))
    for p in sorted(pieces):
        if p in text:
            print(f"{f}: English: {p!r}")
            bad += 1
sys.exit(bad > 0)
PY
}
