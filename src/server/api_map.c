/* api_map.c - the dashboard's large maps: the areas of a level as shared arcs simplified for a
 * zoom (/api/map/topo), and the values with their classes and colours as a separate small reply
 * (/api/map/values). Both are cacheable: the server's cache keeps each once per store
 * generation, with its gzip twin made once. */
#include "server_int.h"

#include <solidata/run.h>
#include <solidata/topo.h>
#include <solidata/withhold.h>

#include <stdlib.h>

static void reply_failure(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

static void reply_body(sol_reply *r, char *json, size_t len)
{
    r->status = 200;
    r->ctype = "application/json; charset=utf-8";
    r->body = json; /* sol_free is free() */
    r->len = len;
    r->cacheable = 1;
}

/* GET /api/map/topo?level=L&z=Z */
void sol__api_map_topo(const sol_req *q, sol_reply *r)
{
    const char *level = q->arg(q->conn, "level"), *zs = q->arg(q->conn, "z");
    char *end = NULL;
    long z = zs ? strtol(zs, &end, 10) : 0;
    if (zs && (*zs == '\0' || *end || z < 0 || z >= SOL_TOPO_ZOOMS)) {
        sol__reply_error(r, 400, "z=%s: expected a zoom level from 0 to %d", zs,
                         SOL_TOPO_ZOOMS - 1);
        return;
    }
    char *json = NULL;
    size_t len = 0;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_map_topo(q->st, level && *level ? level : NULL, (int)z,
                                     sol_withhold_sees(q->who->role), &json, &len, &e);
    if (rc != SOL_OK) {
        reply_failure(r, rc, &e);
        return;
    }
    reply_body(r, json, len);
}

/* GET /api/map/values?indicator=&period=&level=&classes=&k=&palette= */
void sol__api_map_values(const sol_req *q, sol_reply *r)
{
    const char *ind = q->arg(q->conn, "indicator"), *ks = q->arg(q->conn, "k");
    if (ind == NULL || *ind == '\0') {
        sol__reply_error(r, 400, "give ?indicator=CODE (and optionally &period=P, &level=L)");
        return;
    }
    char *end = NULL;
    unsigned long k = ks ? strtoul(ks, &end, 10) : 5;
    if (ks && (*ks == '\0' || *end || k < 2 || k > 9)) {
        sol__reply_error(r, 400, "k=%s: expected 2 to 9 classes", ks);
        return;
    }
    const char *period = q->arg(q->conn, "period"), *level = q->arg(q->conn, "level");
    sol_map_job o = {.indicator = ind,
                     .period = period && *period ? period : NULL,
                     .classes = q->arg(q->conn, "classes"),
                     .k = (unsigned)k,
                     .palette = q->arg(q->conn, "palette"),
                     .unsuppressed = sol_withhold_sees(q->who->role)};
    char *json = NULL;
    size_t len = 0;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_map_values(q->st, &o, level && *level ? level : NULL, &json, &len, &e);
    if (rc != SOL_OK) {
        reply_failure(r, rc, &e);
        return;
    }
    reply_body(r, json, len);
}
