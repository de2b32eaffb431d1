# pysal_lisa.py GEO CSV NSIM OUT - the whole job of `solidata spatial lisa` with libpysal + numpy
# (Debian's python3-libpysal, python3-numpy; esda is not packaged): read the polygons (json) and
# the values, queen contiguity (libpysal Queen.from_iterable, its own vertex binning), row
# standardised weights, local Moran with its conditional moments, and NSIM conditional
# permutations as esda's crand does them (one table of NSIM x max-cardinality draws from the
# n - 1 other areas shared by every area), written as CSV. The per-area step indexes around area
# i instead of copying the n - 1 other values (esda copies them: O(n) per area), so this peer is
# faster than esda itself. Prints the seconds of each step.
import csv
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
from libpysal.cg import asShape  # noqa: E402
from libpysal.weights import Queen  # noqa: E402

geo, data, nsim, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
t0 = time.perf_counter()


def tick(what):
    global t0
    t = time.perf_counter()
    print(f"{what} {t - t0:.3f}", flush=True)
    t0 = t


with open(geo) as f:
    fc = json.load(f)
ids = [ft["properties"]["id"] for ft in fc["features"]]
shapes = [asShape(ft["geometry"]) for ft in fc["features"]]
with open(data) as f:
    val = {r["id"]: float(r["value"]) for r in csv.DictReader(f)}
x = np.array([val[i] for i in ids])
tick("read")
w = Queen.from_iterable(shapes, ids=list(range(len(ids))))
w.transform = "r"
tick("queen")

n = w.n
z = x - x.mean()
m2 = (z * z).sum() / n
card = np.array([w.cardinalities[i] for i in range(n)])
wrows = [np.asarray(w.weights[i]) for i in range(n)]
nbrs = [np.asarray(w.neighbors[i], dtype=np.int64) for i in range(n)]
lag = np.array([(wrows[i] * z[nbrs[i]]).sum() if card[i] else 0.0 for i in range(n)])
Ii = z / m2 * lag
Wi = np.array([r.sum() for r in wrows])
Wi2 = np.array([(r * r).sum() for r in wrows])
E = -(z * z * Wi) / ((n - 1) * m2)
V = (z / m2) ** 2 * (n / (n - 2)) * (Wi2 - Wi * Wi / (n - 1)) * (m2 - z * z / (n - 1))
with np.errstate(invalid="ignore", divide="ignore"):
    Z = (Ii - E) / np.sqrt(V)
tick("localmoran")

rng = np.random.default_rng(1)
kmax = int(card.max())
rids = np.array([rng.permutation(n - 1)[:kmax] for _ in range(nsim)])
psim = np.full(n, np.nan)
for i in range(n):
    k = card[i]
    if k == 0:
        continue
    idx = rids[:, :k]
    idx = idx + (idx >= i)  # index around area i: the pool is the n - 1 others
    rl = z[i] / m2 * (z[idx] @ wrows[i])
    larger = int((rl >= Ii[i]).sum())
    if nsim - larger < larger:
        larger = nsim - larger
    psim[i] = (larger + 1.0) / (nsim + 1.0)
tick("localmoran_perm")

q = (z > 0).astype(int) + 2 * (lag > 0)
with open(out, "w") as f:
    f.write("id,value,Ii,E_Ii,Var_Ii,z,p_perm,quadrant\n")
    for i in range(n):
        f.write(f"{ids[i]},{x[i]!r},{Ii[i]!r},{E[i]!r},{V[i]!r},{Z[i]!r},{psim[i]!r},{q[i]}\n")
tick("write")
print(f"links {int(card.sum())}")
