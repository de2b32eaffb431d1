# Metadata whose language columns disagree: a column given twice in the header, a row with more
# fields than the header (a language column missing from it) are errors with file:line:column,
# and the store is left as it was.
with_regions
printf 'code,v\n01,1\n' >"$T/d.csv"
snapshot
printf 'code,label,label_fr,label_it,label_fr\nv,V,Vf,Vi,Vf2\n' >"$T/dup.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/dup.csv"
expect_exit 1
expect_err "dup.csv:1:30: column 'label_fr' appears twice in the header \(columns 3 and 5\): keep one"
expect_unchanged
printf 'code,label,label_fr\nv,V,Vf\nw,W,Wf,Wi\n' >"$T/more.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/more.csv"
expect_exit 1
expect_err "more.csv:3:8: this row has more fields than the header's 3 columns: a language column"
expect_unchanged
# label_fr without label_it or label_en is fine
printf 'code,label_fr\nv,Valeur\n' >"$T/fr.csv"
sol import data "$T/d.csv" --area-field code --period 2020 --indicator-meta "$T/fr.csv"
expect_exit 0
sol indicators; expect_out '^v,Valeur,'
# fewer fields than the header stays the reader's error
printf 'code,label,label_fr\nv,V\n' >"$T/less.csv"
sol import data "$T/d.csv" --area-field code --period 2021 --indicator-meta "$T/less.csv"
expect_exit 1
expect_err "less.csv:2: expected 3 fields \(as in the header\), found 2"
