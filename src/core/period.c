/* period.c - periods as people write them ("2023", "2023-Q2", "2023-05"), normalised to a
 * frequency letter and an integer index. */
#include <solidata/period.h>

#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n, long *v)
{
    if (n == 0)
        return 0;
    long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

sol_status sol_period_parse(const char *s, size_t len, char label[16], char *freq, int64_t *index)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    long year, sub;
    if (len < 4 || !digits(s, 4, &year) || year < 1000)
        return SOL_EPARSE;
    if (len == 4) {
        *freq = 'A';
        *index = year;
        snprintf(label, 16, "%04d", (int)year);
        return SOL_OK;
    }
    const char *r = s + 4;
    size_t n = len - 4;
    if (*r == '-') {
        r++;
        n--;
    }
    char f = 'M';
    if (n && (*r == 'Q' || *r == 'q' || *r == 'S' || *r == 's' || *r == 'H' || *r == 'h' ||
              *r == 'M' || *r == 'm')) {
        f = (*r == 'q' || *r == 'Q') ? 'Q' : (*r == 'M' || *r == 'm') ? 'M' : 'S';
        r++;
        n--;
    } else if (n != 2) {
        return SOL_EPARSE; /* bare month needs two digits: 2023-05 */
    }
    if (n == 0 || n > 2 || !digits(r, n, &sub))
        return SOL_EPARSE;
    long max = f == 'Q' ? 4 : f == 'S' ? 2 : 12;
    if (sub < 1 || sub > max)
        return SOL_EPARSE;
    *freq = f;
    if (f == 'Q') {
        *index = year * 4 + sub - 1;
        snprintf(label, 16, "%04d-Q%d", (int)year, (int)sub);
    } else if (f == 'S') {
        *index = year * 2 + sub - 1;
        snprintf(label, 16, "%04d-S%d", (int)year, (int)sub);
    } else {
        *index = year * 12 + sub - 1;
        snprintf(label, 16, "%04d-%02d", (int)year, (int)sub);
    }
    return SOL_OK;
}
