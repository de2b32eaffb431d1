/* csv_fields.h - fields of the current record of a sol_csv by column name, for the unit tests
 * that read reference values from tests/data/<case>/ CSV files. */
#ifndef SOL_TEST_CSV_FIELDS_H
#define SOL_TEST_CSV_FIELDS_H

#include <solidata/csv.h>

#include <math.h>

/* Field `name` as a number (NaN when the column is missing, the field empty or not a number). */
static inline double num(sol_csv *c, const char *name)
{
    long k = sol_csv_colindex(c, name);
    if (k < 0)
        return NAN;
    size_t len;
    const char *s = sol_csv_field(c, (size_t)k, &len);
    double v = NAN;
    if (len && sol_parse_number(s, len, 0, &v) != SOL_OK)
        return NAN;
    return v;
}

/* Field `name` as text ("" when the column is missing). */
static inline const char *str(sol_csv *c, const char *name)
{
    long k = sol_csv_colindex(c, name);
    return k < 0 ? "" : sol_csv_field(c, (size_t)k, NULL);
}

#endif
