# make-reference.R - reference values for `solidata evaluate did --indicator` (store mode) on the
# bundled BES regional series (examples/data/bes_regions_long.csv, Istat BES dei territori,
# CC BY 3.0 IT; see examples/data/README.md): employment rate 20-64 (03LAV001-N22), the southern
# regions 15-20 (Campania, Puglia, Basilicata, Calabria, Sicilia, Sardegna) "treated" from 2020.
# This is an illustrative design for testing the computation, not a policy evaluation.
#   static:  value ~ treated:post + region FE + year FE           (lm with factor dummies)
#   event:   value ~ sum_k treated*1[year = 2020 + k], k != -1 + FE  (2019 = reference period)
# SE clustered by region with Stata's xtreg, fe small-sample factor, as tests/data/did_jtrain:
# sandwich::vcovCL(type = "HC0", cadjust = TRUE) * (N - 1) / (N - K), K = regressors besides the
# absorbed region effects plus the constant; t tests with G - 1 df. Pre-test: Wald F on the leads.
#   Rscript make-reference.R   (writes expected.csv, versions.txt)
suppressPackageStartupMessages(library(sandwich))
d <- read.csv("../../../examples/data/bes_regions_long.csv", colClasses = c(reg_code = "character"))
d <- d[d$indicator_id == "03LAV001-N22" & !is.na(d$value), ]
d$treated <- as.integer(d$reg_code %in% c("15", "16", "17", "18", "19", "20"))
d$post <- as.integer(d$year >= 2020)
d$D <- d$treated * d$post
G <- length(unique(d$reg_code))
rels <- sort(setdiff(unique(d$year) - 2020, -1))
evn <- ifelse(rels < 0, paste0("evm", -rels), paste0("evp", rels))
for (i in seq_along(rels)) d[[evn[i]]] <- d$treated * (d$year == 2020 + rels[i])
out <- NULL
fit <- function(model, f, terms) {
  N <- nobs(f)
  kw <- length(coef(f)) - G + 1
  V <- vcovCL(f, cluster = ~reg_code, type = "HC0", cadjust = TRUE) * (N - 1) / (N - kw)
  b <- coef(f)[terms]; s <- sqrt(diag(V)[terms])
  out <<- rbind(out, data.frame(model = model, term = terms, estimate = b, std_error = s,
                                t = b / s, p = 2 * pt(-abs(b / s), G - 1), n = N, df = G - 1))
  V
}
f1 <- lm(value ~ D + factor(reg_code) + factor(year), data = d)
invisible(fit("static", f1, "D"))
f2 <- lm(as.formula(paste("value ~", paste(evn, collapse = " + "),
                          "+ factor(reg_code) + factor(year)")), data = d)
V <- fit("event", f2, evn)
leads <- evn[rels < -1]
b <- coef(f2)[leads]
Fs <- as.numeric(t(b) %*% solve(V[leads, leads, drop = FALSE]) %*% b) / length(leads)
out <- rbind(out, data.frame(model = "pretest", term = "F", estimate = Fs, std_error = NA, t = NA,
                             p = pf(Fs, length(leads), G - 1, lower.tail = FALSE), n = nobs(f2),
                             df = G - 1))
out$term <- sub("^evp", "event:", sub("^evm", "event:-", out$term))
write.csv(out, "expected.csv", row.names = FALSE, quote = TRUE)
writeLines(c(R.version.string, paste("sandwich", packageVersion("sandwich")),
             paste("platform:", R.version$platform)), "versions.txt")
