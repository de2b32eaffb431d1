# sdmx structure: ISTAT's dataflow 47_850 and its DSD with Italian and English names, INSEE's
# dataflows in French, and a code list's codes; names as xmllint reads them
# (tests/data/sdmx/reference/names.tsv).
S=$TOP/tests/data/sdmx
sol sdmx structure "$S/ISTAT/47_850-structure.xml" --lang it
expect_exit 0
expect_out '^kind,agency,id,parent,position,codelist,name$'
expect_out '^dataflow,IT1,47_850,DCIS_SERVSOCEDU1,,,Servizi  socio-educativi per la prima infanzia$'
expect_out '^dimension,IT1,REF_AREA,DCIS_SERVSOCEDU1,2,CL_ITTER107,'
expect_out '^dimension,IT1,TIME_PERIOD,DCIS_SERVSOCEDU1,0,,'
sol sdmx structure "$S/ISTAT/47_850-structure.xml" --lang en
expect_exit 0; expect_out '^dataflow,IT1,47_850,.*,Socio-educational  services for infancy day-care$'
sol sdmx structure "$S/INSEE/dataflow.xml" --lang fr
expect_exit 0; expect_lines 664
expect_out '^dataflow,FR1,IPPAP-2000,.*Indices des prix agricoles à la production'
sol sdmx structure "$S/INSEE/IPI-2010-A21-structure.xml" --lang it --out "$T/s.csv"
expect_exit 0
grep -q '^code,FR1,C,,,CL_NAF2_A21,C - Manufacturing industry$' "$T/s.csv" || fail "no English fallback"
