#!/usr/bin/env python3
"""mkxlsx.py - write a small XLSX workbook from CSV-like sheets, with the features spreadsheets
have and CSV has not: several sheets, formulas with their cached values, merged cells, dates
stored as serial day numbers. Standard library only (zipfile). Usage:
  mkxlsx.py OUT.xlsx SHEET=FILE.csv [SHEET=FILE.csv ...]
Each CSV is read with ';' as delimiter (UTF-8). A cell written '=EXPR|VALUE' becomes a formula
EXPR with cached VALUE; a cell '#date:SERIAL' a number with a date style; a cell '#merge:A5:A6'
at the start of a row merges that range (the cell itself is left empty)."""
import csv, re, sys, zipfile
from xml.sax.saxutils import escape

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def num(v):
    return re.fullmatch(r"-?\d+(\.\d+)?", v) is not None

def sheet_xml(rows):
    out, merges = [], []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if v.startswith("#merge:"):
                merges.append(v[7:])
                continue
            if v == "":
                continue
            if v.startswith("="):
                expr, val = v[1:].split("|", 1)
                t = "" if num(val) else ' t="str"'
                cells.append(f'<c r="{ref}"{t}><f>{escape(expr)}</f><v>{escape(val)}</v></c>')
            elif v.startswith("#date:"):
                cells.append(f'<c r="{ref}" s="1"><v>{v[6:]}</v></c>')
            elif num(v):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        if cells:
            out.append(f'<row r="{r}">{"".join(cells)}</row>')
    m = ""
    if merges:
        m = f'<mergeCells count="{len(merges)}">' + "".join(
            f'<mergeCell ref="{x}"/>' for x in merges) + "</mergeCells>"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(out)}</sheetData>{m}</worksheet>')

def main():
    out, specs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    sheets = []
    for name, path in specs:
        with open(path, newline="", encoding="utf-8") as f:
            sheets.append((name, list(csv.reader(f, delimiter=";"))))
    ns = "http://schemas.openxmlformats.org/"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1)) + '</Types>')
        z.writestr("_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}spreadsheetml/2006/main" '
            f'xmlns:r="{ns}officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, (n, _) in enumerate(sheets, 1)) + '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns}officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>')
        z.writestr("xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts>'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
        for i, (_, rows) in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows))

main()
