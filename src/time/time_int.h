/* time_int.h - internals shared by the files of src/time (not installed). */
#ifndef SOL_TIME_INT_H
#define SOL_TIME_INT_H

#include <solidata/timeseries.h>

#include <stddef.h>

/* "annual", "quarterly", ... for messages. Static string. */
const char *sol__ts_freq_name(char freq);

/* Median of x[0..n) (sorts x in place); NaN when n is 0. */
double sol__ts_median(double *x, size_t n);

/* Average ranks (1-based) of x[0..n) into r, as R's rank(); `tmp` holds n doubles. */
void sol__ts_ranks(const double *x, size_t n, double *r, double *tmp);

/* A series' name for messages: its id, or "the series" for a lone unnamed one. */
#define SOL__TS_NAME(ts) ((ts)->id != NULL && (ts)->id[0] ? (ts)->id : "(the series)")

#endif
