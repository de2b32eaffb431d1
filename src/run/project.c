/* project.c - `project-population` file in, file out: read base population, fertility,
 * survival and migration CSVs, check them, project each area x scenario, write long and summary
 * CSVs. */
#include <solidata/csv.h>
#include <solidata/demography.h>

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_ 64
#define MAX_AGES  200

typedef struct rec {
    char scen[NAME_MAX_], area[NAME_MAX_];
    int sex;  /* 0 F, 1 M, -1 none */
    int age;  /* group start */
    int open; /* "85+" */
    double v, v2;
    unsigned long line;
} rec;

typedef struct table {
    const char *path;
    rec *r;
    size_t n;
    int has_scen, has_area, has_year;
    int year;
} table;

static void table_free(table *t)
{
    sol__free(t->r);
    memset(t, 0, sizeof *t);
}

static sol_status field_str(sol_csv *c, long k, char *dst, const char *what, sol_error *err)
{
    size_t len = 0;
    const char *s = k >= 0 ? sol_csv_field(c, (size_t)k, &len) : "";
    if (k >= 0 && len >= NAME_MAX_)
        return sol__err_at(err, SOL_ELIMIT, sol_csv_name(c), sol_csv_line(c),
                           sol_csv_col(c, (size_t)k), "%s longer than %d characters", what,
                           NAME_MAX_ - 1);
    memcpy(dst, s, len + 1);
    return SOL_OK;
}

/* Read one input: `sexed` says whether a sex column is required, `v`/`v2` the value columns
 * (v2 optional), `nonneg` whether v must be >= 0. */
static sol_status read_table(const char *path, int sexed, const char *v, const char *v2, int nonneg,
                             table *t, sol_error *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open(path, NULL, &c, err);
    if (rc != SOL_OK)
        return rc;
    long ks = sol_csv_colindex(c, "scenario"), ka = sol_csv_colindex(c, "area"),
         kx = sol_csv_colindex(c, "sex"), kg = sol_csv_colindex(c, "age"),
         kv = sol_csv_colindex(c, v), kv2 = v2 ? sol_csv_colindex(c, v2) : -1,
         ky = sol_csv_colindex(c, "year");
    const char *miss = kg < 0 ? "age" : kv < 0 ? v : (sexed && kx < 0) ? "sex" : NULL;
    if (miss) {
        if (sexed)
            rc = sol__err_at(err, SOL_EPARSE, path, 1, 1,
                             "no column '%s': expected sex,age,%s (and optionally scenario, "
                             "area)",
                             miss, v);
        else
            rc = sol__err_at(err, SOL_EPARSE, path, 1, 1,
                             "no column '%s': expected age,%s (and optionally scenario, area)",
                             miss, v);
        goto fail;
    }
    t->has_scen = ks >= 0, t->has_area = ka >= 0, t->has_year = ky >= 0;
    size_t cap = 0;
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        if (t->n == cap) {
            cap = cap ? 2 * cap : 256;
            rec *p = sol__realloc(t->r, cap * sizeof *p);
            if (!p) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory reading %s", path);
                goto fail;
            }
            t->r = p;
        }
        rec *r = &t->r[t->n];
        memset(r, 0, sizeof *r);
        r->line = sol_csv_line(c);
        r->sex = -1;
        if ((rc = field_str(c, ks, r->scen, "scenario", err)) != SOL_OK ||
            (rc = field_str(c, ka, r->area, "area", err)) != SOL_OK)
            goto fail;
        if (sexed) {
            const char *s = sol_csv_field(c, (size_t)kx, NULL);
            if (strcmp(s, "F") == 0 || strcmp(s, "f") == 0 || strcmp(s, "female") == 0)
                r->sex = 0;
            else if (strcmp(s, "M") == 0 || strcmp(s, "m") == 0 || strcmp(s, "male") == 0)
                r->sex = 1;
            else {
                rc = sol__err_at(err, SOL_EINVAL, path, r->line, sol_csv_col(c, (size_t)kx),
                                 "sex '%s': expected F or M", s);
                goto fail;
            }
        }
        size_t len;
        const char *a = sol_csv_field(c, (size_t)kg, &len);
        char *end;
        long age = strtol(a, &end, 10);
        if (end != a && *end == '+' && end[1] == 0)
            r->open = 1;
        else if (end == a || *end != 0 || age < 0 || age > 150) {
            rc = sol__err_at(err, SOL_EPARSE, path, r->line, sol_csv_col(c, (size_t)kg),
                             "age '%s': expected the start of an age group (0, 5, ...) or the "
                             "open group (85+)",
                             a);
            goto fail;
        }
        if (age < 0 || age > 150) {
            rc = sol__err_at(err, SOL_EPARSE, path, r->line, sol_csv_col(c, (size_t)kg),
                             "age '%s' outside 0-150", a);
            goto fail;
        }
        r->age = (int)age;
        const char *sv = sol_csv_field(c, (size_t)kv, &len);
        if (sol_parse_number(sv, len, 0, &r->v) != SOL_OK) {
            rc = sol__err_at(err, SOL_ETYPE, path, r->line, sol_csv_col(c, (size_t)kv),
                             "%s '%s': expected a number", v, sv);
            goto fail;
        }
        if (nonneg && r->v < 0) {
            rc = sol__err_at(err, SOL_EINVAL, path, r->line, sol_csv_col(c, (size_t)kv),
                             "%s %g is negative: rates, counts and person-years are >= 0", v, r->v);
            goto fail;
        }
        r->v2 = NAN;
        if (kv2 >= 0) {
            const char *s2 = sol_csv_field(c, (size_t)kv2, &len);
            if (len && sol_parse_number(s2, len, 0, &r->v2) != SOL_OK) {
                rc = sol__err_at(err, SOL_ETYPE, path, r->line, sol_csv_col(c, (size_t)kv2),
                                 "%s '%s': expected a number", v2, s2);
                goto fail;
            }
        }
        if (ky >= 0) {
            const char *sy = sol_csv_field(c, (size_t)ky, NULL);
            char *ye;
            long yl = strtol(sy, &ye, 10);
            if (*ye || ye == sy || yl < 1 || yl > 9999) {
                rc = sol__err_at(err, SOL_EPARSE, path, r->line, sol_csv_col(c, (size_t)ky),
                                 "year '%s': expected a year such as 2024", sy);
                goto fail;
            }
            int y = (int)yl;
            if (t->n && y != t->year) {
                rc = sol__err_at(err, SOL_EINVAL, path, r->line, sol_csv_col(c, (size_t)ky),
                                 "year %s: the base population is of one year (%d above)", sy,
                                 t->year);
                goto fail;
            }
            t->year = y;
        }
        t->n++;
    }
    if (rc != SOL_EOF)
        goto fail;
    sol_csv_close(c);
    if (t->n == 0) {
        table_free(t);
        return sol__err_at(err, SOL_EPARSE, path, 2, 1, "no rows");
    }
    return SOL_OK;
fail:
    sol_csv_close(c);
    table_free(t);
    return rc;
}

/* Names of the areas of the base, in order of first appearance. */
typedef struct names {
    char (*v)[NAME_MAX_];
    size_t n;
} names;

static int names_has(const names *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return 1;
    return 0;
}

static sol_status names_add(names *s, const char *x)
{
    if (names_has(s, x))
        return SOL_OK;
    char(*p)[NAME_MAX_] = sol__realloc(s->v, (s->n + 1) * sizeof *p);
    if (!p)
        return SOL_ENOMEM;
    s->v = p;
    snprintf(s->v[s->n++], NAME_MAX_, "%s", x);
    return SOL_OK;
}

/* The error for a missing (sex, age) row of t, naming the area and scenario when t has them;
 * `open` marks the open age group ("75+"). */
static sol_status missing_row(const table *t, int sex, int age, int open, const char *area,
                              const char *scen, sol_error *err)
{
    char c = sex ? 'M' : 'F';
    const char *plus = open ? "+" : "";
    if (area[0] && t->has_scen)
        return sol__err_at(err, SOL_ENOTFOUND, t->path, 1, 1,
                           "no row for sex %c age %d%s, area %s, scenario %s: give every age "
                           "group of the base for both sexes",
                           c, age, plus, area, scen);
    if (area[0])
        return sol__err_at(err, SOL_ENOTFOUND, t->path, 1, 1,
                           "no row for sex %c age %d%s, area %s: give every age group of the "
                           "base for both sexes",
                           c, age, plus, area);
    if (t->has_scen)
        return sol__err_at(err, SOL_ENOTFOUND, t->path, 1, 1,
                           "no row for sex %c age %d%s, scenario %s: give every age group of "
                           "the base for both sexes",
                           c, age, plus, scen);
    return sol__err_at(err, SOL_ENOTFOUND, t->path, 1, 1,
                       "no row for sex %c age %d%s: give every age group of the base for both "
                       "sexes",
                       c, age, plus);
}

/* Fill v[sex][age index] from table t for (scen, area); `need` = every cell must be present.
 * Returns the line of a duplicate or 0. */
static sol_status fill(const table *t, const char *scen, const char *area, int sexed,
                       const int *ages, size_t A, double v[2][MAX_AGES], double v2[2][MAX_AGES],
                       int need, sol_error *err)
{
    unsigned long seen[2][MAX_AGES] = {{0}};
    for (size_t i = 0; i < t->n; i++) {
        const rec *r = &t->r[i];
        if ((t->has_scen && strcmp(r->scen, scen) != 0) ||
            (t->has_area && strcmp(r->area, area) != 0))
            continue;
        size_t x = A;
        for (size_t k = 0; k < A; k++)
            if (ages[k] == r->age)
                x = k;
        if (x == A || (r->open != (x == A - 1)))
            return sol__err_at(err, SOL_EINVAL, t->path, r->line, 1,
                               "age %d%s is not one of the base population's age groups (%d to "
                               "%d+)",
                               r->age, r->open ? "+" : "", ages[0], ages[A - 1]);
        int s0 = sexed ? r->sex : 0, s1 = sexed ? r->sex : 1;
        for (int s = s0; s <= s1; s++) {
            if (seen[s][x] && area[0])
                return sol__err_at(err, SOL_EDUPLICATE, t->path, r->line, 1,
                                   "age %d sex %c appears twice for area %s (first at line %lu)",
                                   r->age, s ? 'M' : 'F', area, seen[s][x]);
            if (seen[s][x])
                return sol__err_at(err, SOL_EDUPLICATE, t->path, r->line, 1,
                                   "age %d sex %c appears twice (first at line %lu)", r->age,
                                   s ? 'M' : 'F', seen[s][x]);
            seen[s][x] = r->line;
            v[s][x] = r->v;
            if (v2)
                v2[s][x] = r->v2;
        }
    }
    if (need)
        for (int s = 0; s < 2; s++)
            for (size_t x = 0; x < A; x++)
                if (!seen[s][x])
                    return missing_row(t, s, ages[x], x == A - 1, area, scen, err);
    return SOL_OK;
}

void sol_run_project_job_init(sol_project_job *o)
{
    memset(o, 0, sizeof *o);
    o->srb = 1.05;
}

sol_status sol_run_project(const sol_project_job *o, sol_error *err)
{
    if (o->horizon < 1)
        return sol__err(err, SOL_EINVAL, "horizon %d: expected at least 1 year", o->horizon);
    if (o->horizon > 500)
        return sol__err(err, SOL_ELIMIT, "horizon %d: at most 500 years", o->horizon);
    table tb = {0}, tf = {0}, ts = {0}, tm = {0};
    names areas = {0}, scens = {0};
    double *pf = NULL, *pm = NULL;
    FILE *fo = NULL, *fs = NULL;
    sol_status rc;
    if ((rc = read_table(o->base, 1, "population", NULL, 1, &tb, err)) != SOL_OK ||
        (rc = read_table(o->fertility, 0, "rate", NULL, 1, &tf, err)) != SOL_OK ||
        (rc = read_table(o->survival, 1, "Lx", "lx", 1, &ts, err)) != SOL_OK ||
        (o->migration && (rc = read_table(o->migration, 1, "net", NULL, 0, &tm, err)) != SOL_OK))
        goto done;
    /* age groups of the base: contiguous from 0 with one width, the last open */
    int ages[MAX_AGES];
    size_t A = 0;
    {
        int seen_age[152] = {0};
        unsigned long open_line = 0;
        int open_age = -1;
        for (size_t i = 0; i < tb.n; i++) {
            seen_age[tb.r[i].age] = 1;
            if (tb.r[i].open) {
                if (open_age >= 0 && open_age != tb.r[i].age) {
                    rc = sol__err_at(err, SOL_EINVAL, o->base, tb.r[i].line, 1,
                                     "two open age groups (%d+ and %d+)", open_age, tb.r[i].age);
                    goto done;
                }
                open_age = tb.r[i].age, open_line = tb.r[i].line;
            }
        }
        (void)open_line;
        if (open_age < 0) {
            rc = sol__err_at(err, SOL_EINVAL, o->base, 1, 1,
                             "no open age group: write the last one as 85+ (say)");
            goto done;
        }
        for (int a = 0; a <= 150; a++)
            if (seen_age[a] && A < MAX_AGES)
                ages[A++] = a;
        if (ages[0] != 0 || A < 3 || ages[A - 1] != open_age) {
            rc = sol__err_at(err, SOL_EINVAL, o->base, 1, 1,
                             "age groups must start at 0 and end with the open group (%d+), "
                             "with at least 3 groups",
                             open_age);
            goto done;
        }
        int w = ages[1] - ages[0];
        for (size_t k = 1; k < A; k++)
            if (ages[k] - ages[k - 1] != w || (w != 1 && w != 5)) {
                unsigned long line = 1;
                for (size_t i = 0; i < tb.n; i++)
                    if (tb.r[i].age == ages[k])
                        line = tb.r[i].line;
                rc = sol__err_at(err, SOL_EINVAL, o->base, line, 1,
                                 "age groups not contiguous: %d follows %d; expected groups of "
                                 "1 or 5 years (0, 5, 10, ..., 85+)",
                                 ages[k], ages[k - 1]);
                goto done;
            }
        if (open_age < 75) {
            rc = sol__err_at(err, SOL_EINVAL, o->base, open_line, 1,
                             "the open age group starts at %d: people 75+ need groups up to 75 "
                             "at least",
                             open_age);
            goto done;
        }
    }
    int w = ages[1] - ages[0];
    for (size_t i = 0; i < tb.n; i++)
        if ((rc = names_add(&areas, tb.r[i].area)) != SOL_OK)
            goto oom;
    /* every area of the rate files is in the base */
    const table *rt[3] = {&tf, &ts, &tm};
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; rt[k]->has_area && i < rt[k]->n; i++)
            if (!names_has(&areas, rt[k]->r[i].area)) {
                rc = sol__err_at(err, SOL_ENOTFOUND, rt[k]->path, rt[k]->r[i].line, 1,
                                 "unknown area '%s': not in the base population %s",
                                 rt[k]->r[i].area, o->base);
                goto done;
            }
        for (size_t i = 0; rt[k]->has_scen && i < rt[k]->n; i++)
            if ((rc = names_add(&scens, rt[k]->r[i].scen)) != SOL_OK)
                goto oom;
    }
    if (scens.n == 0 && (rc = names_add(&scens, "central")) != SOL_OK)
        goto oom;
    for (int k = 0; k < 3; k++)
        for (size_t s = 0; rt[k]->has_scen && s < scens.n; s++) {
            int any = 0;
            for (size_t i = 0; i < rt[k]->n && !any; i++)
                any = strcmp(rt[k]->r[i].scen, scens.v[s]) == 0;
            if (!any) {
                rc = sol__err_at(err, SOL_ENOTFOUND, rt[k]->path, 1, 1,
                                 "no rows for scenario '%s' (another file has it): give every "
                                 "scenario, or drop the scenario column to use the rows for all",
                                 scens.v[s]);
                goto done;
            }
        }
    size_t steps = ((size_t)o->horizon + (size_t)w - 1) / (size_t)w;
    pf = sol__malloc((steps + 1) * A * sizeof *pf);
    pm = sol__malloc((steps + 1) * A * sizeof *pm);
    if (!pf || !pm)
        goto oom;
    int y0 = o->base_year ? o->base_year : tb.has_year ? tb.year : 0;
    /* pass 0 checks every area x scenario, pass 1 writes: nothing is written on bad input */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            fo = o->out ? fopen(o->out, "w") : NULL;
            fs = o->summary == NULL || strcmp(o->summary, "-") == 0 ? stdout
                                                                    : fopen(o->summary, "w");
            if ((o->out && !fo) || !fs) {
                rc = sol__err(err, SOL_EIO, "cannot write %s", o->out && !fo ? o->out : o->summary);
                goto done;
            }
            if (fo)
                fputs("area,scenario,year,sex,age,population\n", fo);
            fputs("area,scenario,year,total,children_0_5,people_65_plus,people_75_plus,"
                  "old_age_dependency\n",
                  fs);
        }
        for (size_t a = 0; a < areas.n; a++)
            for (size_t s = 0; s < scens.n; s++) {
                double P[2][MAX_AGES], F[2][MAX_AGES], L[2][MAX_AGES], l[2][MAX_AGES],
                    M[2][MAX_AGES];
                memset(M, 0, sizeof M);
                memset(F, 0, sizeof F);
                const char *an = areas.v[a], *sn = scens.v[s];
                if ((rc = fill(&tb, sn, an, 1, ages, A, P, NULL, 1, err)) != SOL_OK ||
                    (rc = fill(&tf, sn, an, 0, ages, A, F, NULL, 0, err)) != SOL_OK ||
                    (rc = fill(&ts, sn, an, 1, ages, A, L, l, 1, err)) != SOL_OK ||
                    (o->migration &&
                     (rc = fill(&tm, sn, an, 1, ages, A, M, NULL, 0, err)) != SOL_OK))
                    goto done;
                double l0[2];
                for (int x = 0; x < 2; x++) {
                    l0[x] = isnan(l[x][0]) ? 1 : l[x][0];
                    if (!(l0[x] > 0) || L[x][0] > w * l0[x]) {
                        if (an[0])
                            rc = sol__err(err, SOL_EINVAL,
                                          "%s: sex %c, area %s: L0 = %g with l0 = %g: survival "
                                          "from birth above 1 (L0 is at most %d x l0)",
                                          o->survival, x ? 'M' : 'F', an, L[x][0], l0[x], w);
                        else
                            rc = sol__err(err, SOL_EINVAL,
                                          "%s: sex %c: L0 = %g with l0 = %g: survival from birth "
                                          "above 1 (L0 is at most %d x l0)",
                                          o->survival, x ? 'M' : 'F', L[x][0], l0[x], w);
                        goto done;
                    }
                    for (size_t k = 0; k + 2 < A; k++)
                        if (L[x][k + 1] > L[x][k] || !(L[x][k] > 0)) {
                            if (L[x][k] > 0)
                                rc = sol__err(err, SOL_EINVAL,
                                              "%s: sex %c, ages %d to %d: Lx rises to %g: "
                                              "survival above 1 (person-years fall with age)",
                                              o->survival, x ? 'M' : 'F', ages[k], ages[k + 1],
                                              L[x][k + 1]);
                            else
                                rc = sol__err(err, SOL_EINVAL,
                                              "%s: sex %c, ages %d to %d: Lx %g: survival "
                                              "undefined (person-years fall with age)",
                                              o->survival, x ? 'M' : 'F', ages[k], ages[k + 1],
                                              L[x][k]);
                            goto done;
                        }
                }
                for (size_t k = 0; k < A; k++)
                    F[1][k] = F[0][k];
                sol_cc_input in = {.width = w,
                                   .nages = A,
                                   .pop = {P[0], P[1]},
                                   .fert = F[0],
                                   .L = {L[0], L[1]},
                                   .l0 = {l0[0], l0[1]},
                                   .mig = {M[0], M[1]},
                                   .srb = o->srb};
                if ((rc = sol_cc_project(&in, steps, pf, pm, NULL, err)) != SOL_OK)
                    goto done;
                for (size_t t = 0; pass == 1 && t <= steps; t++) {
                    double tot = 0, c05 = 0, o65 = 0, o75 = 0, wa = 0;
                    int year = y0 + (int)t * w;
                    for (size_t k = 0; k < A; k++) {
                        double v = pf[t * A + k] + pm[t * A + k];
                        tot += v;
                        if (w == 1 ? ages[k] <= 5 : ages[k] == 0)
                            c05 += v;
                        else if (w == 5 && ages[k] == 5)
                            c05 += v / 5; /* age 5 of the group 5-9, linearly */
                        o65 += ages[k] >= 65 ? v : 0;
                        o75 += ages[k] >= 75 ? v : 0;
                        wa += ages[k] >= 15 && ages[k] < 65 ? v : 0;
                        for (int x = 0; fo && x < 2; x++)
                            fprintf(fo, "%s,%s,%d,%c,%d%s,%.17g\n", an, sn, year, x ? 'M' : 'F',
                                    ages[k], k == A - 1 ? "+" : "", (x ? pm : pf)[t * A + k]);
                    }
                    fprintf(fs, "%s,%s,%d,%.17g,%.17g,%.17g,%.17g,%.17g\n", an, sn, year, tot, c05,
                            o65, o75, wa > 0 ? 100 * o65 / wa : NAN);
                }
            }
    }
    rc = SOL_OK;
    goto done;
oom:
    rc = sol__err(err, SOL_ENOMEM, "out of memory projecting the population");
done:
    if (fo && (ferror(fo) | fclose(fo)) && rc == SOL_OK)
        rc = sol__err(err, SOL_EIO, "cannot write %s", o->out);
    if (fs && fs != stdout && (ferror(fs) | fclose(fs)) && rc == SOL_OK)
        rc = sol__err(err, SOL_EIO, "cannot write %s", o->summary);
    if (rc != SOL_OK && o->out && fo)
        remove(o->out);
    if (rc != SOL_OK && fs && fs != stdout)
        remove(o->summary);
    table_free(&tb), table_free(&tf), table_free(&ts), table_free(&tm);
    sol__free(areas.v), sol__free(scens.v), sol__free(pf), sol__free(pm);
    return rc;
}
