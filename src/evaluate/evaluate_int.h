/* evaluate_int.h - what the files of src/evaluate/ share: cell positions for messages, and
 * periods compared as numbers. Not installed. */
#ifndef SOL_EVALUATE_INT_H
#define SOL_EVALUATE_INT_H

#include <solidata/evaluate.h>

/* Physical line of a row, and starting column of one of its cells (for file:line:col). */
unsigned long sol__dtable_line(const sol_dtable *t, size_t row);
unsigned long sol__dtable_colpos(const sol_dtable *t, size_t row, size_t col);

#endif
