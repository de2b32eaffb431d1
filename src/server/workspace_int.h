/* workspace_int.h - private to src/server: the analyst's workspace routes (api_workspace.c) and
 * the upload limit, said by the page before an upload and enforced by the server. */
#ifndef SOL_WORKSPACE_INT_H
#define SOL_WORKSPACE_INT_H

#include "server_int.h"

/* The largest spreadsheet the dashboard accepts (bytes of the file itself). */
#define SOL__UPLOAD_MAX_BYTES ((size_t)50 * 1000 * 1000)
/* The request body that carries it: base64 (4 bytes for 3) plus the JSON around it. */
#define SOL__UPLOAD_MAX_BODY (SOL__UPLOAD_MAX_BYTES / 3 * 4 + 64 * 1024)

/* 1 when `method` `path` is the upload route, whose body may reach SOL__UPLOAD_MAX_BODY. */
int sol__workspace_is_upload(const char *method, const char *path);

/* GET /api/workspace: the limits and formats of an upload. */
void sol__api_workspace(const sol_req *q, sol_reply *r);
/* POST /api/imports: a spreadsheet previewed (options.preview) or imported. */
void sol__api_import(const sol_req *q, sol_reply *r);
/* POST /api/runs/lisa, /api/runs/forecast, /api/runs/index: an analysis of the store. */
void sol__api_run_lisa(const sol_req *q, sol_reply *r);
void sol__api_run_forecast(const sol_req *q, sol_reply *r);
void sol__api_run_index(const sol_req *q, sol_reply *r);

#endif
