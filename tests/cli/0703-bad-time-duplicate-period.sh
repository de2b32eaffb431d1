# a period given twice for one series is refused, naming both lines
printf 'area,month,v\nA,2023-01,1\nA,2023-02,2\nB,2023-01,1\nA,2023M02,5\n' >"$T/d.csv"
sol trend --data "$T/d.csv" --id-field area --period-field month --value-field v
expect_exit 1; expect_err "d.csv:5:3: period 2023-02 of series 'A' appears twice \(first at line 3\)"
