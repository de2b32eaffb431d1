# --lang it before the command: the command's whole help in Italian, generated from the same
# option table as the English one; no English description line of the table is left.
sol poverty --help; expect_exit 0; cp "$T/out" "$T/en"
sol --lang it poverty --help; expect_exit 0; cp "$T/out" "$T/it"
expect_out "^uso: solidata poverty --microdata F.csv --weight W --income INC .*\[opzioni\]$"
expect_out "^Opzioni:$"
expect_out "^Stime dirette per dominio e per l'intero campione"
expect_out "^  --weight W +la colonna dei pesi di campionamento$"
expect_out "^  --strata S +la colonna degli strati$"
expect_out "\[predefinito: nessuno\]"
expect_out "^  --help +questo aiuto$"
expect_out "^Colonne di output: domain,n,weighted_n,"
grep -q "^Options:" "$T/it" && fail "the English 'Options:' heading is left"
# every description line of the English options (the text after '--name ARG'), continuation
# lines too, must be gone from the Italian help
awk '/^Options:$/ { on = 1; next } on && /^$/ { exit } on {
        sub(/^ +/, ""); if ($0 ~ /^--/) { if (!sub(/^--[^ ]+( [^ ]+)?  +/, "")) next }
        if ($0 ~ /[a-z][a-z][a-z]+ [a-z]+/) print }' "$T/en" >"$T/en.desc" # lines with words
[ "$(wc -l <"$T/en.desc")" -gt 40 ] || fail "too few English description lines: $(wc -l <"$T/en.desc")"
while IFS= read -r line; do
    if grep -qF -- "$line" "$T/it"; then fail "English left in the Italian help: $line"; fi
done <"$T/en.desc"
# the global help and a group's list of sub-commands too
sol --lang it --help; expect_exit 0
expect_out "^Comandi:$"; expect_out "^  poverty +stime dirette di povertà e disuguaglianza per dominio"
expect_out "^  --lang it\|fr\|en +la lingua dei messaggi e dell'aiuto"
sol --lang it spatial --help; expect_exit 0
expect_out "^uso: solidata spatial COMANDO \[opzioni\]$"; expect_out "^  lisa +Moran locale \(LISA\): punti caldi"
