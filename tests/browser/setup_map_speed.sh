# setup_map_speed.sh - browser-test setup of the map of many areas (sourced by run.sh with s, $T,
# $top): 35,000 areas at a level "commune_fr" of their own, with one indicator. By default a
# deterministic tessellation drawn here (200 x 175 cells of 0.05 degree, corners jittered, every
# border 12 wiggling segments shared by its two cells, so the simplification has work to do); with
# SOL_MAP_COMMUNES=FILE.geojson (properties code and nom: the 35,357 communes of France, see
# docs/render.md) the real communes instead. SOL_MAP_SPEED=0 leaves it out (a quicker run).
if [ "${SOL_MAP_SPEED:-1}" = 1 ]; then
    mdir=$T/map_speed
    mkdir -p "$mdir"
    if [ -n "${SOL_MAP_COMMUNES:-}" ]; then
        s import areas "$SOL_MAP_COMMUNES" --code-field code --name-field nom --level commune_fr \
            --make-valid --licence "Licence Ouverte / Etalab 2.0" --attribution "IGN Admin Express"
        awk 'BEGIN { RS = "\"code\":\""; FS = "\"" } NR > 1 { print $1 }' "$SOL_MAP_COMMUNES" >"$mdir/codes"
    else
        awk 'function fr(v) { return v - int(v) }
        function h(a, b, c) { return fr(sin(a * 12.9898 + b * 78.233 + c * 37.719) * 43758.5453) }
        function cx(i, j) { return 0 + i * 0.05 + (i > 0 && i < 200 ? (h(i, j, 1) - 0.5) * 0.02 : 0) }
        function cy(i, j) { return 40 + j * 0.05 + (j > 0 && j < 175 ? (h(i, j, 2) - 0.5) * 0.02 : 0) }
        # the border from corner (i,j) to corner (i+di,j+dj), k = 0..12, the same for both cells
        function edge(i, j, di, dj, rev,   k, t, x, y, a, ox, oy, w, m) {
            a = (h(i, j, 3 + di) - 0.5) * 0.012; w = 1 + int(h(i, j, 5 + di) * 3)
            ox = cx(i + di, j + dj) - cx(i, j); oy = cy(i + di, j + dj) - cy(i, j)
            for (m = 0; m < 12; m++) {
                k = rev ? 12 - m : m; t = k / 12
                x = cx(i, j) + ox * t - oy * a * sin(3.14159265 * t * w) * 8
                y = cy(i, j) + oy * t + ox * a * sin(3.14159265 * t * w) * 8
                printf "[%.6f,%.6f],", x, y
            }
        }
        BEGIN { printf "{\"type\":\"FeatureCollection\",\"features\":["
            for (j = 0; j < 175; j++) for (i = 0; i < 200; i++) {
                printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"C%03d%03d\",\"nom\":\"Commune %d-%d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[", (i + j ? "," : ""), j, i, j, i
                edge(i, j, 1, 0, 0); edge(i + 1, j, 0, 1, 0); edge(i, j + 1, 1, 0, 1); edge(i, j, 0, 1, 1)
                printf "[%.6f,%.6f]]]}}", cx(i, j), cy(i, j)
            }
            print "]}" }' >"$mdir/communes.geojson"
        # --make-valid: GEOS finds a few of the wiggles touching at a corner; it mends only those
        s import areas "$mdir/communes.geojson" --code-field code --name-field nom --level commune_fr \
            --make-valid --licence "CC0" --attribution "solidata test tessellation"
        awk 'BEGIN { for (j = 0; j < 175; j++) for (i = 0; i < 200; i++) printf "C%03d%03d\n", j, i }' >"$mdir/codes"
    fi
    awk 'BEGIN { print "code,period,need_fr"; s = 11 }
        { s = (s * 1103515245 + 12345) % 2147483648; printf "%s,2023,%.2f\n", $1, 5 + s / 2147483648 * 30 }' \
        "$mdir/codes" >"$mdir/values.csv"
    s import data "$mdir/values.csv" --area-field code --period-field period --skip-unknown-areas \
        --licence "CC0" --attribution "solidata test values"
fi
