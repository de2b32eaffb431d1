# make-reference.R - expected values for tests/unit/test_spatial.c, computed with R spdep.
# Run from this folder: Rscript make-reference.R   (writes expected_*.csv and versions.txt)
suppressPackageStartupMessages({ library(sf); library(spdep) })
set.ZeroPolicyOption(TRUE)  # Ponza and Ventotene (islands) have no contiguity neighbour
sf_use_s2(FALSE)  # planar centroids in lon/lat, as solidata's sol_feature.centroid
g <- st_read("lazio_municipalities.geojson", quiet = TRUE)
d <- read.csv("lazio_irpef_2021.csv", colClasses = c(istat_code = "character"))
d <- d[match(g$istat_code, d$istat_code), ]
stopifnot(identical(d$istat_code, g$istat_code))
ids <- g$istat_code
fmt <- function(x) sprintf("%.17g", x)
wcsv <- function(df, f) write.csv(df, f, row.names = FALSE, quote = FALSE)
edges <- function(nb) {
  from <- rep(seq_along(nb), card(nb)); to <- unlist(lapply(nb, function(v) v[v > 0]))
  data.frame(from_id = ids[from], to_id = ids[to])
}
nbq <- poly2nb(g, queen = TRUE)
nbr <- poly2nb(g, queen = FALSE)
cen <- st_coordinates(st_centroid(st_geometry(g)))
knn6 <- knn2nb(knearneigh(cen, k = 6, longlat = TRUE))
band <- dnearneigh(cen, 0, 15, longlat = TRUE)
wcsv(edges(nbq), "expected_nb_queen.csv")
wcsv(edges(nbr), "expected_nb_rook.csv")
wcsv(edges(knn6), "expected_nb_knn6.csv")
wcsv(edges(band), "expected_nb_band15.csv")
wcsv(data.frame(id = ids, lon = fmt(cen[, 1]), lat = fmt(cen[, 2])), "expected_centroids.csv")
i1 <- c(1, 50, 100, 200, 300); i2 <- c(2, 377, 378, 10, 301)
gd <- sapply(seq_along(i1), function(k) spDists(cen[i1[k], , drop = FALSE], cen[i2[k], , drop = FALSE], longlat = TRUE))
wcsv(data.frame(from_id = ids[i1], to_id = ids[i2], km = fmt(gd)), "expected_gcdist.csv")

lw <- list(queen_W = nb2listw(nbq, style = "W"), queen_B = nb2listw(nbq, style = "B"),
           rook_W = nb2listw(nbr, style = "W"), knn6_W = nb2listw(knn6, style = "W"),
           band15_B = nb2listw(band, style = "B", zero.policy = TRUE))
rows <- list()
for (v in c("pct_income_0_10k", "mean_taxable_income_eur")) for (w in names(lw)) for (rz in c(TRUE, FALSE)) {
  alt <- "greater"
  t <- moran.test(d[[v]], lw[[w]], randomisation = rz, alternative = alt, zero.policy = TRUE)
  rows[[length(rows) + 1]] <- data.frame(var = v, weights = w, randomisation = as.integer(rz),
    I = fmt(t$estimate[1]), EI = fmt(t$estimate[2]), VarI = fmt(t$estimate[3]),
    z = fmt(t$statistic), p = fmt(t$p.value))
}
wcsv(do.call(rbind, rows), "expected_moran.csv")

x <- d$pct_income_0_10k
for (cond in c(TRUE, FALSE)) {
  lm <- localmoran(x, lw$queen_W, conditional = cond)
  q <- attr(lm, "quadr")$pysal
  out <- data.frame(id = ids, Ii = fmt(lm[, 1]), E.Ii = fmt(lm[, 2]), Var.Ii = fmt(lm[, 3]),
                    Z.Ii = fmt(lm[, 4]), p = fmt(lm[, 5]), quadr = q,
                    p_fdr = fmt(p.adjust(lm[, 5], "BH")), p_bonf = fmt(p.adjust(lm[, 5], "bonferroni")))
  wcsv(out, if (cond) "expected_lisa_conditional.csv" else "expected_lisa_total.csv")
}
lmB <- localmoran(x, lw$knn6_W, conditional = TRUE)
wcsv(data.frame(id = ids, Ii = fmt(lmB[, 1]), E.Ii = fmt(lmB[, 2]), Var.Ii = fmt(lmB[, 3]),
                Z.Ii = fmt(lmB[, 4]), p = fmt(lmB[, 5])), "expected_lisa_knn6.csv")
for (st in c("W", "B")) for (self in c(TRUE, FALSE)) {
  nb <- if (self) include.self(nbq) else nbq
  lg <- localG(x, nb2listw(nb, style = st), return_internals = TRUE)
  it <- attr(lg, "internals")
  wcsv(data.frame(id = ids, z = fmt(as.numeric(lg)), G = fmt(it[, 1]), EG = fmt(it[, 2]),
                  VG = fmt(it[, 3]), p = fmt(it[, 5])),
       sprintf("expected_localG_%s_%s.csv", if (self) "star" else "gi", st))
}
si <- sessionInfo()
writeLines(c(R.version.string,
             sprintf("spdep %s", packageVersion("spdep")), sprintf("sf %s", packageVersion("sf")),
             sprintf("sp %s", packageVersion("sp")), sprintf("s2 %s", packageVersion("s2")),
             sprintf("GEOS %s", sf_extSoftVersion()[["GEOS"]]),
             sprintf("platform %s", si$platform), sprintf("running %s", si$running),
             "localmoran defaults in this spdep: conditional=TRUE, mlvar=TRUE, alternative='two.sided'",
             "moran.test defaults: randomisation=TRUE, alternative='greater', adjust.n=TRUE"),
           "versions.txt")
