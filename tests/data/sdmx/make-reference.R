# make-reference.R - the expected observations of every SDMX data message in this directory, made
# by other readers than ours: rsdmx (readSDMX + as.data.frame) for SDMX-ML it reads,
# data.table::fread for SDMX-CSV, and the values the sdmx1 Python client expects
# (expected/*.txt, from khaeru/sdmx-test-data) for SDMX-JSON and the ECB layouts rsdmx cannot read.
# Writes reference/<name>.csv (dimension columns, OBS_VALUE, OBS_STATUS when the reader gives
# it) and reference/data.tsv (message, reference, how it was made).
# Run from this directory: Rscript make-reference.R   (rsdmx 0.6.2, data.table 1.14.8)
suppressMessages({ library(rsdmx); library(data.table) })
dir.create("reference", showWarnings = FALSE)
manifest <- data.frame(file = character(), reference = character(), source = character())
out <- function(name, d, dims, value, status = NULL) {
  r <- data.frame(lapply(dims, function(k) as.character(d[[k]])), stringsAsFactors = FALSE)
  names(r) <- names(dims)
  v <- suppressWarnings(as.numeric(as.character(d[[value]])))
  r$OBS_VALUE <- ifelse(is.na(v), "", sprintf("%.17g", v))
  if (!is.null(status)) {
    s <- if (status %in% names(d)) as.character(d[[status]]) else rep(NA, nrow(d))
    r$OBS_STATUS <- ifelse(is.na(s), "", s)
  }
  f <- file.path("reference", paste0(name, ".csv"))
  write.csv(r, f, row.names = FALSE, na = "")
  f
}
add <- function(file, ref, source) {
  manifest[nrow(manifest) + 1, ] <<- c(file, ref, source)
}
ids <- function(...) { x <- c(...); setNames(x, x) }
ecb_ng <- ids("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD")

# 1. SDMX-ML read by rsdmx
ml <- list(
  list("ISTAT/22_289.xml", "istat_22_289",
       ids("FREQ", "REF_AREA", "DATA_TYPE", "SEX", "AGE", "MARITAL_STATUS", "TIME_PERIOD"),
       "OBS_VALUE"),
  list("ISTAT/47_850-data.xml", "istat_47_850",
       c(ids("FREQ", "REF_AREA", "DATA_TYPE", "TYPE_SOCIO_EDUC_SERVICE", "TYPE_MANAGEMENT",
             "HOLDER_SECTOR_PUBPRIV"), TIME_PERIOD = "obsTime"), "obsValue"),
  list("INSEE/CNA-2010-CONSO-SI-A17.xml", "insee_cna_2010_conso_si_a17",
       c(ids("SECT-INST", "OPERATION", "PRODUIT", "PRIX"), TIME_PERIOD = "obsTime"), "obsValue"),
  list("ECB_EXR/ng-flat.xml", "ecb_ng_flat", ecb_ng, "obsValue"),
  # cross-section: rsdmx names the observation dimension (CURRENCY here) obsTime
  list("ECB_EXR/ng-xs.xml", "ecb_ng_xs",
       c(ids("FREQ", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD"), CURRENCY = "obsTime"),
       "obsValue"),
  list("v3/xml/ECB_EXR0.xml", "v3_ecb_exr0",
       ids("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD"),
       "OBS_VALUE"))
for (m in ml) {
  d <- as.data.frame(readSDMX(m[[1]], isURL = FALSE))
  f <- out(m[[2]], d, m[[3]], m[[4]], "OBS_STATUS")
  add(m[[1]], f, "rsdmx::readSDMX + as.data.frame")
}
# the ECB sample set gives the same 12 observations in every layout; rsdmx 0.6.2 cannot read
# GenericTimeSeriesData nor these structure-specific files ("missing value where TRUE/FALSE
# needed"), so they are checked against ng-flat.xml as rsdmx reads it
for (f in c("ECB_EXR/ng-ts.xml", "ECB_EXR/ng-ts-ss.xml", "ECB_EXR/ng-flat-ss.xml",
            "ECB_EXR/ng-xs-ss.xml"))
  add(f, "reference/ecb_ng_flat.csv", "rsdmx on ECB_EXR/ng-flat.xml (same data set)")

# 2. SDMX-CSV read by data.table::fread; "ID: label" values keep the ID (example-06 has a name
# column after each component: fread keeps DIM_1..3 and OBS_VALUE by their names)
csv <- list(list("v3/csv/example-01.csv", "v3_csv_01", ",", "."),
            list("v3/csv/example-04.csv", "v3_csv_04", ";", ","),
            list("v3/csv/example-05.csv", "v3_csv_05", ",", "."),
            list("v3/csv/example-06.csv", "v3_csv_06", ",", "."),
            list("v3/csv/example-10.csv", "v3_csv_10", ",", "."))
for (m in csv) {
  d <- as.data.frame(fread(m[[1]], sep = m[[3]], dec = m[[4]], colClasses = "character"))
  names(d) <- sub(":.*$", "", names(d))
  for (k in names(d)) d[[k]] <- sub(": .*$", "", d[[k]])
  if (m[[4]] == ",") d$OBS_VALUE <- sub(",", ".", d$OBS_VALUE, fixed = TRUE)
  f <- out(m[[2]], d, ids("DIM_1", "DIM_2", "DIM_3"), "OBS_VALUE")
  add(m[[1]], f, "data.table::fread")
}

# 3. SDMX-JSON: the tables the sdmx1 client's tests expect (expected/*.txt)
exp <- function(txt, name, dims) {
  d <- read.table(txt, header = TRUE, colClasses = "character")
  out(name, d, dims, "value")
}
fj <- exp("expected/flat-json.txt", "ecb_json_flat",
          ids("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD"))
xj <- exp("expected/xs-json.txt", "ecb_json_xs",
          ids("FREQ", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD", "CURRENCY"))
for (f in c("ECB_EXR/flat.json", "ECB_EXR/ts.json", "v3/json/data/exr-flat.json",
            "v3/json/data/exr-time-series.json"))
  add(f, fj, "sdmx1 expected/flat-json.txt")
for (f in c("ECB_EXR/xs.json", "v3/json/data/exr-cross-section.json"))
  add(f, xj, "sdmx1 expected/xs-json.txt")

# 4. explicit measures (xsi:type on each Obs), which rsdmx 0.6.2 cannot read: Python's
# ElementTree, make-reference-demography.py (run it first)
add("ESTAT/demography-xs.xml", "reference/estat_demography_xs.csv",
    "Python xml.etree.ElementTree (make-reference-demography.py)")

write.table(manifest, "reference/data.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
cat(nrow(manifest), "messages,", length(unique(manifest$reference)), "references\n")
