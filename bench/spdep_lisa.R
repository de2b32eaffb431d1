# spdep_lisa.R GEO CSV NSIM CORES - the whole job in R spdep, as solidata's `spatial lisa`: read the
# polygons and the values, queen contiguity (poly2nb), row-standardised weights, localmoran and
# localmoran_perm with NSIM permutations on CORES cores. Prints the seconds of each step.
suppressPackageStartupMessages({ library(sf); library(spdep) })
a <- commandArgs(trailingOnly = TRUE)
nsim <- as.integer(a[3]); cores <- as.integer(a[4])
sf_use_s2(FALSE)
invisible(set.ZeroPolicyOption(TRUE))
invisible(set.coresOption(cores))
t0 <- proc.time()[["elapsed"]]
tick <- function(what) { t <- proc.time()[["elapsed"]]; cat(sprintf("%s %.3f\n", what, t - t0)); t0 <<- t }
g <- st_read(a[1], quiet = TRUE)
d <- read.csv(a[2], colClasses = c(id = "character"))
x <- d$value[match(g$id, d$id)]
tick("read")
nb <- poly2nb(g, queen = TRUE)
lw <- nb2listw(nb, style = "W")
tick("queen")
lm <- localmoran(x, lw)
tick("localmoran")
if (nsim > 0) {
  lp <- localmoran_perm(x, lw, nsim = nsim, iseed = 1)
  tick("localmoran_perm")
}
cat(sprintf("links %d\n", sum(card(nb))))
