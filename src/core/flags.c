/* flags.c - an observation's flags to and from text: letters as statistical offices write them
 * (Eurostat/SDMX) or words joined by '|'. */
#include <solidata/flags.h>

#include <stdio.h>
#include <string.h>

static const struct {
    int bit;
    char letter;
    const char *word;
} flag_names[] = {
    {SOL_FLAG_ESTIMATED, 'e', "estimated"},   {SOL_FLAG_IMPUTED, 'i', "imputed"},
    {SOL_FLAG_SUPPRESSED, 'c', "suppressed"}, {SOL_FLAG_PROVISIONAL, 'p', "provisional"},
    {SOL_FLAG_BREAK, 'b', "break"},           {SOL_FLAG_LOW_RELIABILITY, 'u', "low-reliability"},
};
#define NFLAGS (sizeof flag_names / sizeof *flag_names)

sol_status sol_flags_parse(const char *s, int *flags)
{
    int f = 0;
    while (*s) {
        while (*s == ' ' || *s == '|' || *s == ',')
            s++;
        size_t n = strcspn(s, " |,");
        if (n == 0)
            break;
        int found = 0;
        for (size_t k = 0; k < NFLAGS && !found; k++) {
            if (strlen(flag_names[k].word) == n && strncmp(s, flag_names[k].word, n) == 0) {
                f |= flag_names[k].bit;
                found = 1;
            }
        }
        if (!found) { /* letters, one or several: "ep" */
            for (size_t i = 0; i < n; i++) {
                char c = (char)(s[i] | 0x20);
                size_t k = 0;
                while (k < NFLAGS && flag_names[k].letter != c)
                    k++;
                if (k == NFLAGS && c != 's') /* 's': Eurostat "Eurostat estimate" */
                    return SOL_EPARSE;
                f |= k == NFLAGS ? SOL_FLAG_ESTIMATED : flag_names[k].bit;
            }
        }
        s += n;
    }
    *flags = f;
    return SOL_OK;
}

void sol_flags_format(int flags, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (size_t k = 0; k < NFLAGS; k++) {
        if (!(flags & flag_names[k].bit))
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? "|" : "", flag_names[k].word);
        if (w < 0 || (size_t)w >= n - used)
            return;
        used += (size_t)w;
    }
}
