# a 100 MB field is refused at its line and column, without the memory to hold it
with_regions; snapshot
{ printf 'code,v\n01,1\n12,"'; head -c 100000000 /dev/zero | tr '\0' 7; printf '"\n'; } >"$T/b.csv"
sol import data "$T/b.csv" --area-field code --period 2020
expect_exit 1; expect_err "b.csv:3:4: quoted field longer than 1048576 bytes"; expect_unchanged
