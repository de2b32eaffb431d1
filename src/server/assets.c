/* assets.c - the dashboard's files, embedded at build time (tools/embed.sh), served read-only:
 * only exact paths from the table are answered, so no path can reach the file system. Also the
 * dashboard's words in each language, /i18n/LANG.json: web/messages.json (the English templates,
 * embedded) with each text looked up in the embedded catalogue under msgctxt "web:KEY". */
#include "server_int.h"

#include <solidata/i18n.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sol__asset {
    const char *path;
    const char *mime;
    const unsigned char *data;
    size_t len;
};
extern const struct sol__asset sol__assets[];

static const struct sol__asset *asset_find(const char *path)
{
    for (const struct sol__asset *a = sol__assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}

/* The translation of one dashboard text: its context is "web:KEY". */
static const char *web_text(sol_lang l, const char *key, const char *english)
{
    char ctx[128];
    int n = snprintf(ctx, sizeof ctx, "web:%s", key);
    if (n < 0 || (size_t)n >= sizeof ctx)
        return english;
    return sol_lpgettext(l, ctx, english);
}

/* The dictionary of language `l` as a JSON object {key: template}, built once (the catalogues
 * and the embedded messages never change while the process runs) and kept until exit. */
static pthread_mutex_t dict_mu = PTHREAD_MUTEX_INITIALIZER;
static char *dict_json[SOL_LANG_COUNT];
static size_t dict_len[SOL_LANG_COUNT];

static const char *dictionary(sol_lang l, size_t *len)
{
    pthread_mutex_lock(&dict_mu);
    if (dict_json[l] == NULL) {
        const struct sol__asset *a = asset_find("/messages.json");
        json_t *en = a ? json_loadb((const char *)a->data, a->len, 0, NULL) : NULL;
        json_t *out = json_is_object(en) ? json_object() : NULL;
        const char *key;
        json_t *v;
        int ok = out != NULL;
        json_object_foreach(en, key, v)
        {
            if (ok && json_is_string(v))
                ok = json_object_set_new(out, key,
                                         json_string(web_text(l, key, json_string_value(v)))) == 0;
        }
        if (ok) {
            dict_json[l] = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
            dict_len[l] = dict_json[l] ? strlen(dict_json[l]) : 0;
        }
        json_decref(out);
        json_decref(en);
    }
    const char *d = dict_json[l];
    *len = dict_len[l];
    pthread_mutex_unlock(&dict_mu);
    return d;
}

/* "/i18n/fr.json" -> SOL_LANG_FR; -1 when the path is not one of the languages. */
static int i18n_path(const char *path)
{
    static const char pre[] = "/i18n/";
    if (strncmp(path, pre, sizeof pre - 1) != 0)
        return -1;
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        const char *c = sol_lang_code((sol_lang)l);
        size_t n = strlen(c);
        if (strncmp(path + sizeof pre - 1, c, n) == 0 &&
            strcmp(path + sizeof pre - 1 + n, ".json") == 0)
            return l;
    }
    return -1;
}

int sol__asset_route(const char *path, sol_reply *r)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    int l = i18n_path(path);
    if (l >= 0) {
        size_t len = 0;
        const char *d = dictionary((sol_lang)l, &len);
        if (d == NULL)
            return 0;
        r->status = 200;
        r->ctype = "application/json; charset=utf-8";
        r->body = (char *)d; /* kept until exit: the server copies it */
        r->len = len;
        r->cacheable = 0;
        return 1;
    }
    const struct sol__asset *a = asset_find(path);
    if (a == NULL)
        return 0;
    r->status = 200;
    r->ctype = a->mime;
    r->body = (char *)a->data; /* static: the server copies it */
    r->len = a->len;
    r->cacheable = 0;
    return 1;
}
