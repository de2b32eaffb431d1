# `ledger verify` names the first bad entry and what is wrong for each kind of tampering of a
# published ledger file: an altered amount (hash mismatch), an altered amount with the chain
# recomputed (the signature no longer covers it), a removed entry, a reordered pair, a flipped
# signature, a file re-signed by another key (caught with --public-key), an unknown key.
. "$TOP/tests/cli/ledger_lib.sh"
with_campaign
add_entries
sol ledger export winter --out "$T/l.json"
expect_exit 0
tamper() { jq "$1" "$T/l.json" >"$T/t.json" || fail "jq $1"; sol ledger verify "$T/t.json" "${@:2}"; }
tamper '.entries[2].body.amount_cents += 100'
expect_exit 1; expect_err 'NOT VERIFIED: entry 3: hash mismatch'
tamper 'del(.entries[4])'
expect_exit 1; expect_err 'NOT VERIFIED: entry 5 is missing'
tamper '.entries[5] as $a | .entries[5] = .entries[6] | .entries[6] = $a'
expect_exit 1; expect_err 'NOT VERIFIED: entry 6 is missing: the entry at position 6 has seq 7'
tamper '.signatures[-1].signature |= (if startswith("0") then "1" + .[1:] else "0" + .[1:] end)'
expect_exit 1; expect_err 'NOT VERIFIED: the signature up to entry 12 is not valid'
tamper '.entries[0].body.donor = "Mario Rossi"'
expect_exit 1; expect_err 'NOT VERIFIED: entry 1'
tamper '.entries[0].body.name = "x"'
expect_exit 1; expect_err "unknown key 'name'"
tamper '.signatures[-1].public_key = "'"$(printf '%064d' 0)"'"'
expect_exit 1; expect_err 'made by another key'
# an amount changed and the chain recomputed by the forger: the signature covers another chain
python3 - "$T/l.json" "$T/t.json" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
d["entries"][3]["body"]["amount_cents"] += 1
prev = d["entries"][0]["prev_hash"]
for e in d["entries"]:
    e["prev_hash"] = prev
    body = json.dumps(e["body"], separators=(",", ":"), ensure_ascii=False)
    e["hash"] = prev = hashlib.sha256((prev + body).encode()).hexdigest()
json.dump(d, open(sys.argv[2], "w"))
PY
sol ledger verify "$T/t.json"
expect_exit 1; expect_err 'signature up to entry [0-9]+ covers another chain'
# a whole ledger re-signed by another key: verifies on its own, not against the published key
"$SOLIDATA" --db "$T/o.db" ledger keygen --out "$T/o.key" >"$T/opk" 2>/dev/null
python3 - "$T/l.json" "$T/t.json" "$(cat "$T/opk")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["public_key"] = sys.argv[3]; d["signatures"] = []
json.dump(d, open(sys.argv[2], "w"))
PY
sol ledger verify "$T/t.json" --public-key "$PK"
expect_exit 1; expect_err 'is not the expected key'
# Python's hash of the canonical bodies is the same as ours (the rule anyone re-implements)
python3 - "$T/l.json" <<'PY' || fail "python recomputation differs"
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
c = d["campaign"]
prev = hashlib.sha256(json.dumps(c, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
assert prev == d["genesis"], "genesis"
for e in d["entries"]:
    assert e["prev_hash"] == prev
    prev = hashlib.sha256((prev + json.dumps(e["body"], separators=(",", ":"), ensure_ascii=False)).encode()).hexdigest()
    assert prev == e["hash"], e["body"]["seq"]
PY
sol ledger verify "$T/nope.json"
expect_exit 1; expect_err 'cannot read the ledger file'
