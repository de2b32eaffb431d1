/* cmd_project.c - `solidata project-population`: cohort-component population projection. */
#include "cli.h"

int cmd_project(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc, (void)argv;
    return cli_failf("project-population: not built yet");
}
