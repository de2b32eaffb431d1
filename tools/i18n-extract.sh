#!/bin/sh
# i18n-extract.sh OUT.pot - every message a person reads, as a gettext template: the strings of
# the library, the command and the dashboard. In C sources: _("..."), N_("..."), P_(ctx, "..."),
# sol_gettext and friends, and the formats of the helpers that translate their own format
# (sol__err, sol__err_at, sol__run_job_error, sol__run_note_add, sol__reply_error, cli_failf,
# cli_usage_error, cli_progress, err_cell). Status messages come from status.h's table.
# The dashboard's texts come from web/messages.json ({"key": "English text"}), each with its key
# as context (msgctxt "web:key"), when that file exists.
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KW="-k_ -kN_ -kP_:1c,2 -ksol_gettext -ksol_lgettext:2 -ksol_ngettext:1,2 -ksol_lngettext:2,3
    -ksol_pgettext:1c,2 -ksol_lpgettext:2c,3
    -ksol__err:3 -ksol__err_at:6 -ksol__run_job_error:3 -ksol__run_note_add:5
    -ksol__reply_error:3 -kcli_failf:1 -kcli_usage_error:2 -kcli_progress:2 -kerr_cell:6 -ksend_error:3"
FLAGS="--flag=sol__err:3:c-format --flag=sol__err_at:6:c-format
    --flag=sol__run_job_error:3:c-format --flag=sol__run_note_add:5:c-format
    --flag=sol__reply_error:3:c-format --flag=cli_failf:1:c-format
    --flag=cli_usage_error:2:c-format --flag=cli_progress:2:c-format --flag=err_cell:6:c-format"
# shellcheck disable=SC2086
find src cli include -name '*.[ch]' | LC_ALL=C sort >"$tmp/files"
# shellcheck disable=SC2086
xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: --sort-by-file \
    --package-name=solidata --msgid-bugs-address=solidata $KW $FLAGS \
    -o "$tmp/c.pot" -f "$tmp/files"
xgettext --language=C --from-code=UTF-8 --msgid-bugs-address=solidata -kX:3 --flag=X:3:no-c-format \
    -o "$tmp/status.pot" include/solidata/status.h
set -- "$tmp/c.pot" "$tmp/status.pot"
if [ -f web/messages.json ]; then
    jq -r 'to_entries[] | "msgctxt \"web:\(.key)\"\nmsgid \(.value | tojson)\nmsgstr \"\"\n"' \
        web/messages.json >"$tmp/web.po.body"
    { printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'; cat "$tmp/web.po.body"; } >"$tmp/web.pot"
    set -- "$@" "$tmp/web.pot"
fi
# no creation date: the catalogues stay byte-identical when no message changed
msgcat --use-first --sort-by-file "$@" | grep -v '^"POT-Creation-Date:' >"$out"
