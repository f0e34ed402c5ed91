/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_SLURP_H
#define TWLAB_SLURP_H

/* The whole of a (small) file, NUL-terminated, for free(); NULL on error. */
char *slurp(const char *path);

#endif
