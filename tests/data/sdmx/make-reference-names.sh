#!/bin/sh
# make-reference-names.sh - names read out of the structure messages with xmllint (libxml2's
# command-line XPath), the reference for the structure tests: reference/names.tsv with
# file, kind (dataflow, structure, codelist, code), codelist (of a code), id, lang, name.
# Run from this directory: sh make-reference-names.sh
set -eu
out=reference/names.tsv
printf 'file\tkind\tcodelist\tid\tlang\tname\n' > $out
# name FILE KIND CODELIST ID LANG: the Name in LANG of the object KIND with that id
name() {
    case $2 in
    dataflow) el=Dataflow ;; structure) el=DataStructure ;; codelist) el=Codelist ;;
    code) el=Code ;;
    esac
    if [ "$2" = code ]; then
        path="//*[local-name()='Codelist'][@id='$3']/*[local-name()='Code'][@id='$4']"
    else
        path="//*[local-name()='$el'][@id='$4']"
    fi
    v=$(xmllint --xpath "string($path/*[local-name()='Name'][@xml:lang='$5'])" "$1" |
        sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    [ -n "$v" ] || { echo "no $5 name for $2 $4 in $1" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$v" >> $out
}
for l in it en; do
    name ISTAT/47_850-structure.xml dataflow - 47_850 $l
    name ISTAT/47_850-structure.xml structure - DCIS_SERVSOCEDU1 $l
    name ISTAT/22_289-structure.xml structure - DCIS_POPRES1 $l
done
for l in fr en; do
    for df in ACT-TRIM-ANC CNA-2010-PRODUCTIVITE-A17 ICA-CS-1990-NAF5 IPPAP-2000; do
        name INSEE/dataflow.xml dataflow - $df $l
    done
    name INSEE/IPI-2010-A21-structure.xml codelist - CL_NAF2_A21 $l
    name INSEE/IPI-2010-A21-structure.xml code CL_NAF2_A21 C $l
    name INSEE/IPI-2010-A21-structure.xml code CL_FREQ M $l
done
name ESTAT/demography-structure.xml codelist - CL_SEX en
name ESTAT/demography-structure.xml code CL_SEX M en
name ESTAT/demography-structure.xml code CL_COUNTRY BE en
name ECB_EXR/1/structure.xml structure - ECB_EXR1 en
wc -l < $out
