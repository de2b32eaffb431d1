/* version.c - the library's version string. */
#include <solidata/version.h>

const char *sol_version(void)
{
    return SOL_VERSION_STRING;
}
