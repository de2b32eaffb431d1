/* assets.c - the dashboard's files, embedded at build time (tools/embed.sh), served read-only:
 * only exact paths from the table are answered, so no path can reach the file system. */
#include "server_int.h"

#include <string.h>

struct sol__asset {
    const char *path;
    const char *mime;
    const unsigned char *data;
    size_t len;
};
extern const struct sol__asset sol__assets[];

int sol__asset_route(const char *path, sol_reply *r)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (const struct sol__asset *a = sol__assets; a->path; a++) {
        if (strcmp(a->path, path) == 0) {
            r->status = 200;
            r->ctype = a->mime;
            r->body = (char *)a->data; /* static: the server copies it */
            r->len = a->len;
            r->cacheable = 0;
            return 1;
        }
    }
    return 0;
}
