# make-reference.R - a small synthetic layer whose queen and rook neighbours differ, and the
# neighbour lists R spdep's poly2nb gives for it. Run from this folder: Rscript make-reference.R
# (writes grid.geojson, expected_nb_queen.csv, expected_nb_rook.csv, versions.txt).
# The layer: a 3 x 3 grid of unit squares g11..g33 (row, column), where diagonal cells touch at a
# corner only (queen, not rook); a square c44 touching g33 at its corner (3, 3) only; a 2 x 1
# rectangle t above the grid's top row sharing the edges of g31 and g32 (its bottom edge has a
# vertex at (1, 3), where g31 and g32 meet, so the edges match vertex for vertex); and s, a
# square apart from everything (an island).
suppressPackageStartupMessages({ library(sf); library(spdep) })
invisible(set.ZeroPolicyOption(TRUE))
sf_use_s2(FALSE)
sq <- function(x0, y0, w = 1, h = 1)
  st_polygon(list(rbind(c(x0, y0), c(x0 + w, y0), c(x0 + w, y0 + h), c(x0, y0 + h), c(x0, y0))))
ids <- character(0); geoms <- list()
for (r in 1:3) for (c in 1:3) {
  ids <- c(ids, sprintf("g%d%d", r, c)); geoms <- c(geoms, list(sq(c - 1, r - 1)))
}
ids <- c(ids, "c44"); geoms <- c(geoms, list(sq(3, 3)))
t <- st_polygon(list(rbind(c(0, 3), c(1, 3), c(2, 3), c(2, 4), c(0, 4), c(0, 3))))
ids <- c(ids, "t"); geoms <- c(geoms, list(t))
ids <- c(ids, "s"); geoms <- c(geoms, list(sq(10, 10)))
g <- st_sf(id = ids, geometry = st_sfc(geoms, crs = 4326))
st_write(g, "grid.geojson", driver = "GeoJSON", quiet = TRUE, delete_dsn = TRUE,
         layer_options = "RFC7946=NO")
g <- st_read("grid.geojson", quiet = TRUE)
edges <- function(nb) {
  from <- rep(seq_along(nb), card(nb)); to <- unlist(lapply(nb, function(v) v[v > 0]))
  data.frame(from_id = g$id[from], to_id = g$id[to])
}
wcsv <- function(df, f) write.csv(df, f, row.names = FALSE, quote = FALSE)
wcsv(edges(poly2nb(g, queen = TRUE)), "expected_nb_queen.csv")
wcsv(edges(poly2nb(g, queen = FALSE)), "expected_nb_rook.csv")
writeLines(c(R.version.string, paste("spdep", packageVersion("spdep")),
             paste("sf", packageVersion("sf")), paste("GEOS", sf_extSoftVersion()[["GEOS"]]),
             utils::sessionInfo()$running), "versions.txt")
