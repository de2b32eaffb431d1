/* gdal_api.c - GDAL opened on first use (src/core/dl.c says why). */
#define SOL_GDAL_API_IMPL
#include "ingest/gdal_api.h"

#include "core/core.h"

#include <pthread.h>

struct sol__gdal_api sol__gdal;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sol_error load_err;
static sol_status load_rc;

static void load(void)
{
    static const char *const names[] = {
#define SOL_GDAL_NAME(f) #f,
        SOL_GDAL_FUNCTIONS(SOL_GDAL_NAME)
#undef SOL_GDAL_NAME
    };
    void (*slots[sizeof names / sizeof *names])(void);
    load_rc = sol__dl_bind(SOL_GDAL_SONAME, "libgdal32", names, slots, sizeof names / sizeof *names,
                           &load_err);
    if (load_rc != SOL_OK)
        return;
    /* the slots, in the order of the list, into the struct of the same order and types */
    size_t i = 0;
#define SOL_GDAL_SET(f) memcpy(&sol__gdal.f, &slots[i++], sizeof slots[0]);
    SOL_GDAL_FUNCTIONS(SOL_GDAL_SET)
#undef SOL_GDAL_SET
    sol__gdal.GDALAllRegister();
}

sol_status sol__gdal_load(sol_error *err)
{
    pthread_once(&once, load);
    if (load_rc != SOL_OK && err != NULL)
        *err = load_err;
    return load_rc;
}
