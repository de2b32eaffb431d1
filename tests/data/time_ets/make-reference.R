# make-reference.R - reference values for solidata's ETS forecasts (src/time/ets.c), computed with
# R's forecast::ets and forecast.ets on real series shipped with R and on BES regional series.
# Run from this folder: Rscript make-reference.R
# Writes: inputs_F.csv (id,period,value; F the frequency), fits.csv (one row per case), forecasts.csv (case,step,...),
# versions.txt.
suppressPackageStartupMessages(library(forecast))

bes <- read.csv("/work/shared/data/italy_regions_bes/bes_regions_long.csv",
                colClasses = c(reg_code = "character"))
bes_series <- function(ind, reg) {
    d <- bes[bes$indicator_id == ind & bes$reg_code == reg, ]
    years <- min(d$year):max(d$year) # missing years become NA (gaps)
    ts(d$value[match(years, d$year)], start = min(d$year), frequency = 1)
}

series <- list(
    AirPassengers = AirPassengers, UKgas = UKgas, USAccDeaths = USAccDeaths, nottem = nottem,
    ldeaths = ldeaths, Nile = Nile, lynx = lynx,
    WWWusage = ts(as.numeric(WWWusage), start = 1901), # given years: its time is 1..100
    bes_01SAL001_01 = bes_series("01SAL001", "01"),
    bes_04BEC006P_15 = bes_series("04BEC006P", "15"),
    bes_03LAV002_N22_05 = bes_series("03LAV002-N22", "05"),
    bes_01SAL001_15_gap = bes_series("01SAL001", "15"), # 2022 missing: na.action = na.interp
    short7 = ts(c(12.1, 13.4, 12.9, 14.2, 15.0, 14.8, 16.1), start = 2018)
)

label <- function(y, i) {
    f <- frequency(y); t <- time(y)[i]
    yr <- floor(t + 1e-6); k <- round((t - yr) * f) + 1
    if (f == 1) sprintf("%d", yr)
    else if (f == 4) sprintf("%d-Q%d", yr, k)
    else sprintf("%d-%02d", yr, k)
}

# cases: auto selection on every series (gaps of annual series filled by na.interp); every fixed model on USAccDeaths (monthly), UKgas
# (quarterly) and the non-seasonal fixed models on one BES series (annual)
cases <- list()
for (nm in names(series)) cases[[length(cases) + 1]] <- list(id = nm, spec = "auto")
fixed_seasonal <- c("ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN",
                    "MNA", "MAA", "MAdA", "MNM", "MAM", "MAdM")
for (nm in c("USAccDeaths", "UKgas"))
    for (sp in fixed_seasonal) cases[[length(cases) + 1]] <- list(id = nm, spec = sp)
for (sp in c("ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN"))
    cases[[length(cases) + 1]] <- list(id = "bes_01SAL001_01", spec = sp)

# one input file per frequency (a file holds series of one frequency): inputs_1.csv (annual),
# inputs_4.csv (quarterly), inputs_12.csv (monthly)
for (f in c(1, 4, 12)) {
    nms <- names(series)[sapply(series, frequency) == f]
    inputs <- do.call(rbind, lapply(nms, function(nm) {
        y <- series[[nm]]
        data.frame(id = nm, period = sapply(seq_along(y), function(i) label(y, i)),
                   value = sprintf("%.17g", as.numeric(y)))
    }))
    write.csv(inputs, sprintf("inputs_%d.csv", f), row.names = FALSE, quote = FALSE)
}

fits <- list(); fcs <- list()
for (k in seq_along(cases)) {
    cs <- cases[[k]]; y <- series[[cs$id]]
    m <- frequency(y)
    h <- if (m == 12) 24 else if (m == 4) 8 else 5
    if (cs$spec == "auto") {
        fit <- if (anyNA(y)) ets(y, model = "ZZZ", na.action = "na.interp") else ets(y, model = "ZZZ")
    } else {
        damped <- grepl("d", cs$spec)
        code <- gsub("d", "", cs$spec)
        fit <- ets(y, model = code, damped = damped)
    }
    fc <- forecast(fit, h = h, level = c(80, 95))
    par <- fit$par
    g <- function(nm) if (is.na(par[nm])) "" else sprintf("%.17g", par[nm])
    case <- sprintf("%s:%s", cs$id, cs$spec)
    fits[[k]] <- data.frame(case = case, id = cs$id, spec = cs$spec, frequency = m, n = length(y),
        horizon = h, model = sub("^ETS\\((.),(.*),(.)\\)$", "\\1\\2\\3", fit$method), alpha = g("alpha"), beta = g("beta"),
        gamma = g("gamma"), phi = g("phi"), sigma2 = sprintf("%.17g", fit$sigma2),
        loglik = sprintf("%.17g", fit$loglik), aic = sprintf("%.17g", fit$aic),
        aicc = sprintf("%.17g", fit$aicc), bic = sprintf("%.17g", fit$bic),
        initstate = paste(sprintf("%.17g", fit$initstate), collapse = ";"))
    fcs[[k]] <- data.frame(case = case, step = seq_len(h),
        mean = sprintf("%.17g", fc$mean),
        lo80 = sprintf("%.17g", fc$lower[, 1]), hi80 = sprintf("%.17g", fc$upper[, 1]),
        lo95 = sprintf("%.17g", fc$lower[, 2]), hi95 = sprintf("%.17g", fc$upper[, 2]))
}
write.csv(do.call(rbind, fits), "fits.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, fcs), "forecasts.csv", row.names = FALSE, quote = FALSE)

writeLines(c(R.version.string,
             sprintf("forecast %s (Debian r-cran-forecast)", packageVersion("forecast")),
             sprintf("platform %s", R.version$platform),
             "data: datasets (AirPassengers, UKgas, USAccDeaths, nottem, ldeaths, Nile, lynx, WWWusage);",
             "      BES regional series 2015-2024 from /work/shared/data/italy_regions_bes/bes_regions_long.csv;",
             "      short7 is a made-up 7-point annual series (the shortest that ets() fits by maximum likelihood with model ZZZ)"),
           "versions.txt")
