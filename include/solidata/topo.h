/* solidata/topo.h - a polygon layer as a topology of shared arcs, simplified once per arc and
 * per zoom level, so that neighbours stay exactly adjacent at every level (no slivers, no gaps),
 * written in a compact quantised JSON format for the dashboard (docs/render.md, "map topology").
 * Thread safety: a built topology is read-only; sol_topo_encode may run on it from several
 * threads at once. */
#ifndef SOL_TOPO_H
#define SOL_TOPO_H

#include <solidata/geo.h>
#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Zoom levels 0 (coarsest) .. SOL_TOPO_ZOOMS-1 (the geometry as stored). */
#define SOL_TOPO_ZOOMS 6
/** Coordinates are snapped to this grid (degrees) before arcs are found: 1e-6 deg ~ 0.1 m. */
#define SOL_TOPO_QUANTUM 1e-6

typedef struct sol_topo sol_topo;

/** Build the arcs of `n` features (their `parts`; codes are copied): every run of boundary
 *  shared by the same rings becomes one arc used by both, each arc gets a Douglas-Peucker
 *  importance per vertex, and rings of one or two arcs keep enough vertices never to collapse.
 *  Errors: SOL_ENOMEM, SOL_EGEO (a ring with fewer than 3 distinct snapped points).
 *  *out set only on success; free with sol_topo_free. */
SOL_API sol_status sol_topo_build(const sol_feature *f, size_t n, sol_topo **out, sol_error *err);

/** The simplification tolerance of a zoom level in degrees (0 for the last level). */
SOL_API double sol_topo_tolerance(int zoom);

/** The topology at `zoom` as JSON (format "solidata-topo-1", documented in docs/render.md):
 *  arcs simplified with that zoom's tolerance, then vertices put back where two segments would
 *  cross, so no ring self-intersects and no two rings overlap. *json is malloc'ed (sol_free);
 *  *vertices (may be NULL) gets the number of arc vertices written. Errors: SOL_EINVAL (zoom out
 *  of range), SOL_ENOMEM. */
SOL_API sol_status sol_topo_encode(const sol_topo *t, int zoom, char **json, size_t *len,
                                   size_t *vertices, sol_error *err);

/** Number of areas, arcs and arc vertices (before simplification). */
SOL_API void sol_topo_counts(const sol_topo *t, size_t *areas, size_t *arcs, size_t *vertices);

/** Free a topology. NULL is a no-op. */
SOL_API void sol_topo_free(sol_topo *t);

#ifdef __cplusplus
}
#endif

#endif
