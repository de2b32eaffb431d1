/* solidata/csv.h - a streaming CSV reader: comma, semicolon or tab; quoted fields; CRLF; UTF-8
 * with or without BOM, validated; every field and record bounded by solidata/limits.h.
 * Thread safety: a reader belongs to one thread; distinct readers may run in parallel. */
#ifndef SOL_CSV_H
#define SOL_CSV_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sol_csv sol_csv;

typedef struct sol_csv_opts {
    char delimiter;   /* ',', ';' or '\t'; 0 = detect from the header line */
    size_t max_field; /* 0 = SOL_MAX_CSV_FIELD */
} sol_csv_opts;

/** Open `path` ("-" is stdin) and read its header. `o` may be NULL for defaults.
 *  Errors: SOL_EIO (missing/unreadable: err names the file and the system's reason), SOL_EPARSE,
 *  SOL_EENCODING, SOL_ELIMIT (err has file:line:column). *out set only on success. */
SOL_API sol_status sol_csv_open(const char *path, const sol_csv_opts *o, sol_csv **out,
                                sol_error *err);
/** Open over a caller-owned memory buffer (fuzzing, tests); `name` is used in messages.
 *  The buffer must outlive the reader. */
SOL_API sol_status sol_csv_open_mem(const char *data, size_t len, const char *name,
                                    const sol_csv_opts *o, sol_csv **out, sol_error *err);
SOL_API void sol_csv_close(sol_csv *c);

/** Read the next record. SOL_OK with a record; SOL_EOF at the end; an error otherwise, with
 *  file:line:column in err. Records whose field count differs from the header's are errors
 *  (SOL_EPARSE, "expected N fields"). Blank lines are skipped. */
SOL_API sol_status sol_csv_next(sol_csv *c, sol_error *err);

/** Number of header columns (= fields of every record). */
SOL_API size_t sol_csv_ncols(const sol_csv *c);
/** Header name of column i (BOM and surrounding blanks removed). Borrowed: valid until close. */
SOL_API const char *sol_csv_colname(const sol_csv *c, size_t i);
/** Index of the column named `name` (exact match), or -1. */
SOL_API long sol_csv_colindex(const sol_csv *c, const char *name);
/** Field i of the current record, NUL-terminated; *len (may be NULL) gets its length.
 *  Borrowed: valid until the next sol_csv_next or close. */
SOL_API const char *sol_csv_field(const sol_csv *c, size_t i, size_t *len);
/** Physical line (1-based) where the current record starts. */
SOL_API unsigned long sol_csv_line(const sol_csv *c);
/** 1-based byte column where field i of the current record starts on its line. */
SOL_API unsigned long sol_csv_col(const sol_csv *c, size_t i);
/** The delimiter in use (detected or given). */
SOL_API char sol_csv_delimiter(const sol_csv *c);
/** The name given at open (the path), for messages. Borrowed until close. */
SOL_API const char *sol_csv_name(const sol_csv *c);
/** Bytes consumed so far (for progress). */
SOL_API uint64_t sol_csv_bytes(const sol_csv *c);
/** SHA-256 of every byte read so far as 64 hex characters + NUL; complete after SOL_EOF. */
SOL_API void sol_csv_sha256_hex(const sol_csv *c, char hex[65]);

/** Parse a number as found in statistical CSV files: blanks trimmed, '.' decimal point, and ','
 *  as decimal comma when `comma_ok`. SOL_ETYPE when not a finite decimal number. */
SOL_API sol_status sol_parse_number(const char *s, size_t len, int comma_ok, double *out);
/** 1 when the text is a missing-value marker: empty, "NA", "..", ":", "NaN", "N/A". */
SOL_API int sol_is_missing(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
