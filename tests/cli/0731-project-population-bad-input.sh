# project-population refuses bad input with file:line:col and how to fix it, writing nothing.
printf 'area,sex,age,population\nA,F,0,10\nA,M,0,10\nA,F,5,10\nA,M,5,10\nA,F,10+,10\nA,M,10+,10\n' >"$T/short.csv"
{ echo "area,sex,age,population"; for s in F M; do for a in 0 5 10 15 20 25 30 35 40 45 50 55 60 65 70; do echo "A,$s,$a,100"; done; echo "A,$s,75+,50"; done; } >"$T/base.csv"
{ echo "age,rate"; echo "20,0.1"; echo "25,0.1"; } >"$T/fert.csv"
{ echo "sex,age,Lx"; for s in F M; do l=4.9; for a in 0 5 10 15 20 25 30 35 40 45 50 55 60 65 70; do echo "$s,$a,$l"; l=$(awk -v l="$l" 'BEGIN { print l - 0.2 }'); done; echo "$s,75+,8"; done; } >"$T/surv.csv"
P="--fertility $T/fert.csv --survival $T/surv.csv --horizon 20 --out $T/o.csv"
sol project-population --base "$T/base.csv" $P; expect_exit 0
rm -f "$T/o.csv"
sol project-population --base "$T/short.csv" $P; expect_exit 1; expect_err 'short.csv:.*open age group starts at 10'
[ -e "$T/o.csv" ] && fail "output written on bad input"
sed 's/^A,F,40,100$/A,F,45,100/' "$T/base.csv" | awk '!seen[$0]++' >"$T/gap.csv"
sol project-population --base "$T/gap.csv" $P; expect_exit 1; expect_err 'no row for sex F age 40|not contiguous'
sed 's/^A,F,40,100$//; s/^A,M,40,100$//' "$T/base.csv" | grep . >"$T/gap2.csv"
sol project-population --base "$T/gap2.csv" $P; expect_exit 1; expect_err 'gap2.csv:[0-9]+:1: .*age groups not contiguous: 45 follows 35'
sed 's/^A,F,5,100$/A,,5,100/' "$T/base.csv" >"$T/nosex.csv"
sol project-population --base "$T/nosex.csv" $P; expect_exit 1; expect_err "nosex.csv:3:3: .*sex '': expected F or M"
sed 's/^25,0.1$/25,-0.1/' "$T/fert.csv" >"$T/neg.csv"
sol project-population --base "$T/base.csv" --fertility "$T/neg.csv" --survival "$T/surv.csv" --horizon 5
expect_exit 1; expect_err 'neg.csv:3:4: .*rate -0.1 is negative'
sed 's/^F,30,.*$/F,30,6/' "$T/surv.csv" >"$T/up.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/up.csv" --horizon 5
expect_exit 1; expect_err 'survival above 1'
{ echo "sex,age,Lx,lx"; sed 1d "$T/surv.csv" | sed 's/$/,/'; } | sed 's/^F,0,4.9,$/F,0,4.9,0.5/' >"$T/l0.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/l0.csv" --horizon 5
expect_exit 1; expect_err 'survival from birth above 1'
printf 'area,age,rate\nB,20,0.1\n' >"$T/area.csv"
sol project-population --base "$T/base.csv" --fertility "$T/area.csv" --survival "$T/surv.csv" --horizon 5
expect_exit 1; expect_err "area.csv:2:1: .*unknown area 'B'"
printf 'scenario,age,rate\nlow,20,0.1\n' >"$T/fs.csv"; { echo "scenario,sex,age,Lx"; sed 1d "$T/surv.csv" | sed 's/^/high,/'; } >"$T/ss.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fs.csv" --survival "$T/ss.csv" --horizon 5
expect_exit 1; expect_err "no rows for scenario"
sed '/^M,50,/d' "$T/surv.csv" >"$T/miss.csv"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/miss.csv" --horizon 5
expect_exit 1; expect_err 'miss.csv:1:1: .*no row for sex M age 50'
printf 'age,rate\n22,0.1\n' >"$T/odd.csv"
sol project-population --base "$T/base.csv" --fertility "$T/odd.csv" --survival "$T/surv.csv" --horizon 5
expect_exit 1; expect_err "odd.csv:2:1: .*age 22 is not one of the base"
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/surv.csv" --horizon 0
expect_exit 2; expect_err 'horizon 0'
sol project-population --base "$T/base.csv" --fertility "$T/fert.csv" --survival "$T/surv.csv"
expect_exit 2; expect_err 'horizon are required'
sol project-population --base "$T/none.csv" --fertility "$T/fert.csv" --survival "$T/surv.csv" --horizon 5
expect_exit 1; expect_err 'none.csv'
