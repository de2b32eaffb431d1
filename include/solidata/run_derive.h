/* solidata/run_derive.h - from counts to need: derived indicators written into the store, each
 * recorded as a run with its method card. A rate (a count per 1,000 inhabitants, or per any
 * number of a population indicator) and a coverage of need (people helped as a share of the
 * estimated people in need, with an interval when the estimate has a standard error). The
 * derived indicator's values come from a source of connector "derived" named "derived:CODE",
 * whose options name the run; a new run replaces the previous version (kept and restorable as
 * any source's). Its relation to the counts it is computed from is recorded
 * (sol_disclosure_link), so a value computed from a withheld count is withheld too.
 * The CLI (`solidata derive rate|coverage`) and the server (POST /api/derive) both call this.
 * Thread safety: one store handle per thread. */
#ifndef SOL_RUN_DERIVE_H
#define SOL_RUN_DERIVE_H

#include <solidata/limits.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_derive_kind {
    SOL_DERIVE_RATE = 0, /* numerator / denominator x per; run kind "derive.rate" */
    SOL_DERIVE_COVERAGE  /* helped / need x 100 (%); run kind "derive.coverage" */
} sol_derive_kind;

/** What to derive. Strings are borrowed for the duration of the call. */
typedef struct sol_derive_job {
    sol_derive_kind kind;
    const char *numerator;          /* RATE: the count (an indicator code) */
    const char *denominator;        /* RATE: the population (an indicator code) */
    double per;                     /* RATE: per how many of the population (default 1000) */
    const char *denominator_period; /* RATE: take the population of this period for every
                                       period (NULL: the same period as the count) */
    const char *helped;             /* COVERAGE: people helped (an indicator code) */
    const char *need;               /* COVERAGE: estimated people in need (an indicator code,
                                       its standard errors give the interval) */
    const char *as;    /* the new indicator's code; NULL: "NUM_per_1000", "HELPED_coverage" */
    const char *label; /* its label, in every language; NULL: built from the inputs' labels in
                          English, French and Italian */
    const char *unit;  /* RATE: its unit, in every language; NULL: "per 1,000 inhabitants" in
                          each language */
    const char *who;   /* who asks (the server's account); NULL: $SOLIDATA_USER, else $USER */
    /* file mode (no store): a CSV with one row per area (and period) in which numerator and
     * denominator (helped and need) name columns; nothing is written into a store */
    const char *data;         /* the CSV */
    const char *id_field;     /* its column of area codes (required with data) */
    const char *period_field; /* its column of periods (NULL: one period) */
    const char *se_field;     /* COVERAGE: its column of the need's standard errors (NULL: none) */
} sol_derive_job;

/** Defaults: per 1000, everything else NULL. */
SOL_API void sol_run_derive_job_init(sol_derive_job *j, sol_derive_kind k);

/** What was written. Owned by the struct; free with sol_derive_output_free. */
typedef struct sol_derive_output {
    sol_derive_kind kind;
    char code[SOL_MAX_CODE + 1]; /* the derived indicator */
    int64_t run_id, source_id;
    int version;             /* of the source "derived:CODE": 1, then 2 when re-run, ... */
    size_t written;          /* values written */
    size_t no_denominator;   /* numerator values without a denominator value (left missing) */
    size_t zero_denominator; /* numerator values whose denominator is 0 (left missing) */
    size_t with_interval;    /* COVERAGE: values with an interval (the need has a se) */
    size_t over_100;         /* COVERAGE: values above 100% */
    int64_t withheld;        /* values of the derived indicator withheld from the public */
    char **notes; /* n_notes sentences for the user (missing denominators, coverage above 100%) */
    size_t n_notes;
    char *json; /* the run's result (see docs/derive.md), indented; file mode: the same without
                   run, source and version */
    char *csv;  /* file mode: the values, "id,period,value,se,lo95,hi95\n" then one row each */
} sol_derive_output;

/** Compute, write and record (with `st`), or compute from job->data into out->csv (file mode,
 *  `st` may be NULL; no withholding: the file is the caller's). Errors: SOL_EINVAL (a bad job:
 * err->where names the option as the command spells it, "--per"; an indicator code given twice; the
 * new code is an imported indicator; a denominator period without values; no value could be
 * computed), SOL_ENOTFOUND (an unknown indicator: the message says how to list them), SOL_EVERSION
 * (a store older than schema 6), SOL_ESTORE, SOL_ENOMEM; file mode: SOL_EIO, SOL_EPARSE (a missing
 * column), SOL_ETYPE (not a number), SOL_EDUPLICATE (an area and period twice), with file:line:col.
 *  Everything is written in one transaction with its audit
 *  entry; on failure the store is unchanged. *out set only on success. */
SOL_API sol_status sol_run_derive(sol_store *st, const sol_derive_job *j, sol_derive_output **out,
                                  sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_derive_output_free(sol_derive_output *o);

#ifdef __cplusplus
}
#endif
#endif
