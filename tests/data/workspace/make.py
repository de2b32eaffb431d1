#!/usr/bin/env python3
"""make.py - build the spreadsheets and CSV files of tests/cli/11* from the real data of
examples/data (Filosofi: INSEE, Licence Ouverte; IRPEF: MEF, CC BY 4.0; see their READMEs).
Run from this folder: python3 make.py (needs ogr2ogr for the ODS file). Deterministic."""
import csv, os, subprocess, tempfile

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
FR = os.path.join(TOP, "examples", "data", "france", "filosofi_communes_idf_2015_2016_2019.csv")
IT = os.path.join(TOP, "examples", "data", "lazio_irpef_income.csv")
HERE = os.path.dirname(os.path.abspath(__file__))

def spaced(n):  # 2521 -> "2 521" (a French thousands separator, here a no-break space)
    s = f"{n:,}".replace(",", "\u00a0")
    return s

fr = {}
with open(FR, encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["code"].startswith("93"):
            fr.setdefault((r["code"], r["nom"]), {})[r["annee"]] = r
communes = sorted(fr)[:12]

# 1. A workbook of two sheets: title lines, header on row 4, years as columns, thousands
#    separators typed as text, formulas (a value and the total), a blank row and a total row.
rows = [["Personnes des ménages fiscaux par commune, Seine-Saint-Denis"], [],
        ["Source : Insee, Filosofi 2015, 2016 et 2019"],
        ["Code commune", "Commune", "2015", "2016", "2019 (p)"]]
tot = {"2015": 0, "2016": 0, "2019": 0}
for i, (code, nom) in enumerate(communes):
    vals = []
    for y in ("2015", "2016", "2019"):
        v = round(float(fr[(code, nom)][y]["nb_personnes_menages_fiscaux"]))
        tot[y] += v
        vals.append(spaced(v) if i % 2 == 0 else str(v))
    if i == 3:
        vals[1] = f"=C8+{int(vals[1]) - int(vals[0])}|{vals[1]}"  # a formula with its value
    rows.append([code, nom] + vals)
    if i == 5:
        rows.append([])
n = len(rows)
rows.append(["Total", "", f"=SUM(C5:C{n})|{tot['2015']}", f"=SUM(D5:D{n})|{tot['2016']}",
             f"=SUM(E5:E{n})|{tot['2019']}"])
with tempfile.TemporaryDirectory() as d:
    s1, s2 = os.path.join(d, "s1.csv"), os.path.join(d, "s2.csv")
    with open(s1, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    with open(s2, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows([["Note"], ["Chiffres arrondis à l'unité"]])
    subprocess.run(["python3", os.path.join(HERE, "mkxlsx.py"), os.path.join(HERE, "personnes_93.xlsx"),
                    f"Personnes={s1}", f"Notes={s2}"], check=True)
    # merged cells: the commune written once for two rows (blank in the second)
    mm = [["code", "nom", "annee", "personnes"]]
    code0, nom0 = communes[0]
    mm.append([code0, nom0, "2015", fr[(code0, nom0)]["2015"]["nb_personnes_menages_fiscaux"]])
    mm.append(["", "", "2016", fr[(code0, nom0)]["2016"]["nb_personnes_menages_fiscaux"]])
    with open(s1, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(mm[0])
        w.writerow(mm[1])
        w.writerow(mm[2] + ["#merge:A2:A3"])  # a fifth cell of its own: the merge itself
    subprocess.run(["python3", os.path.join(HERE, "mkxlsx.py"), os.path.join(HERE, "fusion.xlsx"),
                    f"Fusion={s1}"], check=True)
    # dates stored as day numbers in the period column (Excel: 1 January of each year)
    serial = {"2015": "42005", "2016": "42370", "2019": "43466"}
    with open(s1, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["code", "date", "mediane"])
        for code, nom in communes[:4]:
            for y in ("2015", "2016", "2019"):
                w.writerow([code, "#date:" + serial[y], fr[(code, nom)][y]["mediane_niveau_vie_eur"]])
    subprocess.run(["python3", os.path.join(HERE, "mkxlsx.py"), os.path.join(HERE, "dates.xlsx"),
                    f"Mediane={s1}"], check=True)

    # 2. An ODS workbook (LibreOffice): Frosinone's municipalities, taxpayers, years as columns,
    #    codes as text with their leading zero.
    it = {}
    with open(IT, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["prov_acr"] == "FR":
                it.setdefault((r["istat_code"], r["name"]), {})[r["year"]] = r["taxpayers"]
    src = os.path.join(d, "contribuenti.csv")
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Codice Istat", "Comune", "2018", "2020", "2021"])
        for (code, name) in sorted(it)[:15]:
            w.writerow([code, name] + [it[(code, name)][y] for y in ("2018", "2020", "2021")])
        w.writerow(["", "Totale", "", "", ""])
    out = os.path.join(HERE, "contribuenti_frosinone.ods")
    if os.path.exists(out):
        os.remove(out)
    subprocess.run(["ogr2ogr", "-f", "ODS", "-oo", "AUTODETECT_TYPE=NO", "-oo", "HEADERS=YES", "-nln", "Contribuenti",
                    out, src], check=True)

# 3. Excel's French CSV: Windows-1252, semicolons, decimal comma, a typographic apostrophe.
with open(os.path.join(HERE, "communes_cp1252.csv"), "w", newline="", encoding="cp1252") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
    w.writerow(["Code", "Libellé de la commune", "Médiane du niveau de vie (€)", "Taux de pauvreté"])
    for code, nom in sorted(fr):
        r = fr[(code, nom)].get("2019")
        if not r or not r["taux_pauvrete_60_pct"]:
            continue
        w.writerow([code, nom.replace("'", "\u2019"), r["mediane_niveau_vie_eur"].replace(".", ","),
                    r["taux_pauvrete_60_pct"].replace(".", ",")])

# 4. A CSV as people prepare it: title lines, header on line 4, thousands separators, '%',
#    a blank row, a subtotal and a total row.
with open(os.path.join(HERE, "familles_titres.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\n")
    w.writerow(["Ménages fiscaux et pauvreté, communes de Seine-Saint-Denis, 2019"])
    w.writerow([])
    w.writerow(["Source : Insee, Filosofi 2019"])
    w.writerow(["Commune", "Nom", "Ménages", "Taux de pauvreté"])
    sub = 0
    for i, (code, nom) in enumerate(communes[:8]):
        r = fr[(code, nom)]["2019"]
        men = int(float(r["nb_menages_fiscaux"]))
        sub += men
        w.writerow([code, nom, spaced(men).replace("\u00a0", " "),
                    r["taux_pauvrete_60_pct"].replace(".", ",") + " %"])
        if i == 3:
            w.writerow(["Sous-total", "", spaced(sub).replace("\u00a0", " "), ""])
            w.writerow([])
    w.writerow(["TOTAL GÉNÉRAL", "", spaced(sub).replace("\u00a0", " "), ""])
