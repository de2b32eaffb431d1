#!/usr/bin/env python3
"""i18n-leaks.py LANG FILE... - sentences of another language in documents made in LANG.

Every literal stretch (14 characters or more, three words or more) between the placeholders of the
catalogue's messages is a piece: the English originals of po/fr.po (those whose translation
differs) and the translations of the other catalogues. A piece of another language found in the
text of an HTML or SVG file made in LANG is printed; the exit status is 1 when any is found.
Proper names and source titles are data, not messages, so they never count."""
import html
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLOT = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcsp%]|\{\w+\}")


def entries(path):
    """(originals, translations) of every entry of a .po file."""
    text = open(path, encoding="utf-8").read()
    join = lambda s: "".join(re.findall(r'"(.*)"', s or "")).replace('\\"', '"').replace("\\n", "\n")
    out = []
    for m in re.finditer(r'^(?:msgctxt "[^\n]*"\n)?msgid ((?:"[^\n]*"\n)+)'
                         r'(?:msgid_plural ((?:"[^\n]*"\n)+))?'
                         r'((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)', text, re.M):
        strs = re.findall(r'msgstr(?:\[\d\])? ((?:"[^\n]*"\n)+)', m.group(3))
        out.append(([join(m.group(1)), join(m.group(2))], [join(s) for s in strs]))
    return out


def pieces(strings):
    found = set()
    for s in strings:
        for p in SLOT.split(s):
            p = p.strip(" .,:;()'\"«»\n")
            if len(p) >= 14 and len(p.split()) >= 3:
                found.add(p)
    return found


def main():
    lang, files = sys.argv[1], sys.argv[2:]
    cats = {os.path.basename(f)[:-3]: entries(os.path.join(TOP, "po", f))
            for f in os.listdir(os.path.join(TOP, "po")) if f.endswith(".po")}
    own = set()
    if lang in cats:
        own = pieces([t for _, ts in cats[lang] for t in ts])
    other = {}
    any_cat = next(iter(cats.values()))
    if lang != "en":
        other["English"] = pieces([s for ids, ts in any_cat for s in ids
                                   if s and s not in ts]) - own
    for name, ents in cats.items():
        if name != lang:
            other[name] = pieces([t for _, ts in ents for t in ts]) - own
            if lang == "en":
                other[name] -= pieces([s for ids, _ in ents for s in ids])
    bad = 0
    for f in files:
        text = html.unescape(re.sub(r"<[^>]*>", "\n", open(f, encoding="utf-8").read()))
        for name, ps in sorted(other.items()):
            for p in sorted(ps):
                if p in text:
                    print(f"{f}: {name}: {p!r}")
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
