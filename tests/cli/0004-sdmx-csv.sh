# SDMX-CSV as Eurostat publishes it: dimensions form the indicator code; flags are kept.
with_regions
cat >"$T/s.csv" <<'CSV'
DATAFLOW,LAST UPDATE,freq,unit,indic_il,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
ESTAT:ILC_LI41(1.0),21/05/2024 23:00,A,PC,LI_R_MD60,01,2022,17.1,
ESTAT:ILC_LI41(1.0),21/05/2024 23:00,A,PC,LI_R_MD60,01,2023,16.8,p
ESTAT:ILC_LI41(1.0),21/05/2024 23:00,A,PC,LI_R_MD60,12,2023,,c
CSV
sol import data "$T/s.csv"
expect_exit 0; expect_err "\(sdmx-csv\): 3 rows read, 2 observations written, 1 indicators"
sol export data; expect_out '^01,2023,ILC_LI41.PC.LI_R_MD60,16.800000000000001,,provisional$'
