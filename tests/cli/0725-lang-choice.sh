# Which language: --lang (before the command word) wins; else $LANGUAGE (its first supported
# entry), else the first set of LC_ALL, LC_MESSAGES, LANG ("C" is English); else English.
unset LC_ALL LANG LANGUAGE LC_MESSAGES
sol --help; expect_exit 0; expect_out "^Commands:$"
sol --lang de --help
expect_exit 2; expect_err "^solidata: --lang: unknown language 'de': expected one of en, fr, it$"
[ -s "$T/out" ] && fail "output after a refused --lang"
sol --lang de poverty --help; expect_exit 2; expect_err "en, fr, it"
sol --lang; expect_exit 2; expect_err "unknown or incomplete option '--lang'"
sol --lang=fr --help; expect_exit 0; expect_out "^Commandes :$"
sol --lang FR_fr.UTF-8 --help; expect_exit 0; expect_out "^Commandes :$"
LANGUAGE=it:fr sol --help; expect_exit 0; expect_out "^Comandi:$"
LANGUAGE=de:fr sol --help; expect_exit 0; expect_out "^Commandes :$"
LC_ALL=C LANG=fr_FR.UTF-8 sol --help; expect_exit 0; expect_out "^Commands:$"
LC_ALL=it_IT.UTF-8 LANG=fr_FR.UTF-8 sol --help; expect_exit 0; expect_out "^Comandi:$"
LC_MESSAGES=it_IT.UTF-8 LANG=fr_FR.UTF-8 sol --help; expect_exit 0; expect_out "^Comandi:$"
LANG=fr_FR.UTF-8 sol --lang en --help; expect_exit 0; expect_out "^Commands:$"
LANG=fr_FR.UTF-8 sol --lang it --help; expect_exit 0; expect_out "^Comandi:$"
# the language of the environment already speaks in --lang's own refusal
LANG=fr_FR.UTF-8 sol --lang xx --help; expect_exit 2; expect_err "^solidata: --lang: .*xx.*en, fr, it"
# data stays as it is in every language: the CSV header and numbers of a listing
with_regions
sol --lang fr areas; expect_exit 0; head -n 1 "$T/out" >"$T/fr.head"
sol areas; expect_exit 0; head -n 1 "$T/out" | cmp -s - "$T/fr.head" || fail "the CSV header changed with --lang"
