# Usage errors in French and Italian keep their pointer to the command's help, translated; the
# generated wordings of the option parser (expected ranges, needs, missing arguments) too.
sol --lang fr index --weights
expect_exit 2; expect_err "^solidata index: option inconnue '--weights' ; voir 'solidata index --help'$"
sol --lang it index --weights
expect_exit 2; expect_err "^solidata index: opzione sconosciuta '--weights'; vedi 'solidata index --help'$"
sol --lang fr serve --port 70000
expect_exit 2; expect_err "^solidata serve: --port 70000 : attendu un nombre entier de 0 à 65535 ; voir 'solidata serve --help'$"
sol --lang fr runs show
expect_exit 2; expect_err "^solidata runs show: argument manquant ; voir 'solidata runs show --help'$"
sol --lang it trend --data x.csv
expect_exit 2; expect_err "^solidata trend: --data richiede --period-field e --value-field; vedi 'solidata trend --help'$"
sol --lang fr spatial nope
expect_exit 2; expect_err "^Commandes :$"; expect_err "^solidata spatial: commande inconnue 'nope' ; voir 'solidata spatial --help'$"
sol --lang fr nope
expect_exit 2; expect_err "^solidata : commande inconnue 'nope' ; voir 'solidata --help'$"
sol --lang fr --frob
expect_exit 2; expect_err "^solidata : option inconnue ou incomplète '--frob' ; voir 'solidata --help'$"
sol --lang fr poverty --lonely-psu nope
expect_exit 2; expect_err "^solidata poverty: --lonely-psu nope : attendu adjust, remove ou fail ; voir 'solidata poverty --help'$"
sol --lang it poverty --lonely-psu nope
expect_exit 2; expect_err "^solidata poverty: --lonely-psu nope: atteso adjust, remove o fail; vedi 'solidata poverty --help'$"
