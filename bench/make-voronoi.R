# make-voronoi.R N OUT.geojson OUT.csv [SEED] - a tessellation of N Voronoi cells of uniform random
# points in a lon/lat box of Italy's size, clipped to the box, and a value per cell (id,value) in
# OUT.csv; for bench/bench_spatial.sh. Uses GEOS through sf (st_voronoi).
suppressPackageStartupMessages(library(sf))
a <- commandArgs(trailingOnly = TRUE)
n <- as.integer(a[1]); out <- a[2]; csv <- a[3]; seed <- if (length(a) > 3) as.integer(a[4]) else 1L
sf_use_s2(FALSE)
set.seed(seed)
box <- c(xmin = 6.6, ymin = 36.6, xmax = 18.6, ymax = 47.1)
xy <- cbind(runif(n, box[["xmin"]], box[["xmax"]]), runif(n, box[["ymin"]], box[["ymax"]]))
pts <- st_sfc(st_multipoint(xy), crs = 4326)
env <- st_as_sfc(st_bbox(box, crs = st_crs(4326)))
v <- st_collection_extract(st_voronoi(pts, envelope = env), "POLYGON")
v <- st_intersection(v, env)
# cells in the order of their points, so that the ids are stable
ord <- unlist(st_intersects(st_sfc(lapply(seq_len(n), function(i) st_point(xy[i, ])), crs = 4326), v))
v <- v[ord]
d <- st_sf(id = sprintf("c%06d", seq_len(n)), value = round(rnorm(n, 20, 5) + xy[, 1], 4),
           geometry = v)
st_write(d, out, driver = "GeoJSON", quiet = TRUE, delete_dsn = TRUE,
         layer_options = c("COORDINATE_PRECISION=9", "RFC7946=NO"))
write.csv(st_drop_geometry(d), csv, row.names = FALSE, quote = FALSE)
