/* palette.c - colour-blind-safe palettes (ColorBrewer schemes with their own k-class colours,
 * viridis sampled from its 256-colour table) and GeoDa's LISA cluster colours. */
#include <solidata/render.h>

#include "core/core.h"
#include "render/palette_data.h"

#include <stdio.h>
#include <string.h>

#define NBREWER (sizeof brewer_schemes / sizeof *brewer_schemes)

const sol_palette_info *sol_render_palette_info(size_t i)
{
    return i < sizeof palette_infos / sizeof *palette_infos ? &palette_infos[i] : NULL;
}

static unsigned hexval(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

static uint32_t viridis_at(size_t j)
{
    uint32_t rgb = 0;
    for (size_t d = 0; d < 6; d++)
        rgb = (rgb << 4) | hexval(viridis_hex[j * 6 + d]);
    return rgb;
}

sol_status sol_render_palette(const char *name, size_t k, uint32_t *colour, sol_error *err)
{
    if (name == NULL || colour == NULL)
        return sol__err(err, SOL_EINVAL, "no palette name");
    size_t len = strlen(name);
    int reverse = 0;
    if (len > 2 && strcmp(name + len - 2, "-r") == 0) {
        reverse = 1;
        len -= 2;
    }
    if (k == 0)
        return sol__err(err, SOL_EINVAL, "palette %s: no classes", name);
    if (len == 7 && strncmp(name, "viridis", 7) == 0) {
        if (k > 256)
            return sol__err(err, SOL_EINVAL, "palette viridis has at most 256 colours, not %zu", k);
        for (size_t i = 0; i < k; i++) {
            size_t j = k == 1 ? 128 : (size_t)((double)i * 255.0 / (double)(k - 1) + 0.5);
            colour[i] = viridis_at(j);
        }
    } else {
        const brewer_scheme *s = NULL;
        for (size_t i = 0; i < NBREWER; i++)
            if (strlen(brewer_schemes[i].name) == len &&
                strncmp(brewer_schemes[i].name, name, len) == 0)
                s = &brewer_schemes[i];
        if (s == NULL) {
            char names[512];
            size_t o = 0;
            for (size_t i = 0; i <= NBREWER && o < sizeof names; i++) {
                int w = snprintf(names + o, sizeof names - o, "%s%s", i ? ", " : "",
                                 sol_render_palette_info(i)->name);
                if (w < 0)
                    break;
                o += (size_t)w;
            }
            return sol__err(err, SOL_EINVAL, "unknown palette '%s'; known: %s (add -r to reverse)",
                            name, names);
        }
        if (k > s->kmax)
            return sol__err(err, SOL_EINVAL,
                            "palette %s has at most %u classes, not %zu: use fewer classes or "
                            "viridis",
                            s->name, s->kmax, k);
        if (k < s->kmin) { /* 1 or 2 classes: the ends of the smallest scheme */
            const uint32_t *c = s->col[s->kmin];
            colour[0] = k == 1 ? c[s->kmin / 2] : c[0];
            if (k == 2)
                colour[1] = c[s->kmin - 1];
        } else {
            memcpy(colour, s->col[k], k * sizeof *colour);
        }
    }
    if (reverse) {
        for (size_t i = 0; i < k / 2; i++) {
            uint32_t t = colour[i];
            colour[i] = colour[k - 1 - i];
            colour[k - 1 - i] = t;
        }
    }
    return SOL_OK;
}

sol_status sol_render_lisa_colour(const char *cluster, uint32_t *colour)
{
    static const struct {
        const char *name;
        uint32_t rgb;
    } lisa[] = {{"HH", SOL_RENDER_LISA_HH},
                {"LL", SOL_RENDER_LISA_LL},
                {"LH", SOL_RENDER_LISA_LH},
                {"HL", SOL_RENDER_LISA_HL},
                {"NS", SOL_RENDER_LISA_NS}};
    for (size_t i = 0; i < sizeof lisa / sizeof *lisa; i++) {
        if (cluster != NULL && strcmp(cluster, lisa[i].name) == 0) {
            *colour = lisa[i].rgb;
            return SOL_OK;
        }
    }
    return SOL_EINVAL;
}
