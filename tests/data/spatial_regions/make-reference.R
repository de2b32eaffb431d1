# make-reference.R - expected values for the island case of tests/unit/test_spatial.c (R spdep).
# Sardinia and Sicily have no contiguity neighbour: zero.policy=TRUE (solidata --islands keep).
# Run from this folder: Rscript make-reference.R   (writes expected_*.csv and versions.txt)
suppressPackageStartupMessages({ library(sf); library(spdep) })
set.ZeroPolicyOption(TRUE)
sf_use_s2(FALSE)  # planar bounding-box prefilter; s2 rejects a ring of this file
g <- st_read("italy_regions.geojson", quiet = TRUE)
d <- read.csv("bes_2021.csv", colClasses = c(reg_code = "character"))
d <- d[match(g$reg_code, d$reg_code), ]
stopifnot(identical(d$reg_code, g$reg_code))
ids <- g$reg_code
fmt <- function(x) sprintf("%.17g", x)
wcsv <- function(df, f) write.csv(df, f, row.names = FALSE, quote = FALSE)
nbq <- poly2nb(g, queen = TRUE)
from <- rep(seq_along(nbq), card(nbq)); to <- unlist(lapply(nbq, function(v) v[v > 0]))
wcsv(data.frame(from_id = ids[from], to_id = ids[to]), "expected_nb_queen.csv")
writeLines(ids[card(nbq) == 0], "expected_islands.txt")
rows <- list()
for (v in c("low_pension_pct", "labour_nonpart_pct")) for (st in c("W", "B")) for (rz in c(TRUE, FALSE)) {
  t <- moran.test(d[[v]], nb2listw(nbq, style = st), randomisation = rz)
  rows[[length(rows) + 1]] <- data.frame(var = v, style = st, randomisation = as.integer(rz),
    I = fmt(t$estimate[1]), EI = fmt(t$estimate[2]), VarI = fmt(t$estimate[3]),
    z = fmt(t$statistic), p = fmt(t$p.value))
}
wcsv(do.call(rbind, rows), "expected_moran.csv")
lm <- localmoran(d$labour_nonpart_pct, nb2listw(nbq, style = "W"))
wcsv(data.frame(id = ids, Ii = fmt(lm[, 1]), E.Ii = fmt(lm[, 2]), Var.Ii = fmt(lm[, 3]),
                Z.Ii = fmt(lm[, 4]), p = fmt(lm[, 5]), quadr = attr(lm, "quadr")$pysal),
     "expected_lisa_conditional.csv")
writeLines(c(R.version.string, sprintf("spdep %s", packageVersion("spdep")),
             sprintf("sf %s", packageVersion("sf")), sprintf("platform %s", sessionInfo()$platform)),
           "versions.txt")
