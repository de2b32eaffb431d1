/* dl.c - shared libraries loaded when first needed. GDAL (maps, workbooks, OGC services) and
 * librsvg with Cairo (PNG and PDF) bring in some 300 further libraries whose loading and
 * relocation cost each run of the command about 0.1 s of CPU; most commands use neither, so they
 * are opened with dlopen by the first function that needs them (src/ingest/gdal_api.c,
 * src/render/raster.c). */
#include "core/core.h"

#include <dlfcn.h>
#include <string.h>

sol_status sol__dl_bind(const char *soname, const char *package, const char *const *names,
                        void (**slots)(void), size_t n, sol_error *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
    if (h == NULL) {
        const char *why = dlerror();
        return sol__err(err, SOL_EIO,
                        "cannot load %s (%s); install Debian's package %s (scripts/install-deps "
                        "lists what solidata needs)",
                        soname, why ? why : "not found", package);
    }
    for (size_t i = 0; i < n; i++) {
        void *p = dlsym(h, names[i]);
        if (p == NULL)
            return sol__err(err, SOL_EIO,
                            "%s has no function %s: it is not the version solidata was built "
                            "with; reinstall Debian's package %s",
                            soname, names[i], package);
        /* POSIX makes dlsym's result usable as a function pointer; ISO C has no cast for it */
        memcpy(&slots[i], &p, sizeof p);
    }
    return SOL_OK;
}
