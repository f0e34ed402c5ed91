/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The link types fuzz_segment.c tries, picked by an input's first byte
 * (modulo the count); seeds.c writes its seeds with the same numbering.
 */
#ifndef TWLAB_FUZZ_LINKTYPES_H
#define TWLAB_FUZZ_LINKTYPES_H

#include "segment.h"

enum { FUZZ_EN10MB, FUZZ_RAW, FUZZ_LINKTYPE_RAW, FUZZ_IPV4, FUZZ_IPV6, FUZZ_SLL, FUZZ_NLINK };

static const int fuzz_linktypes[FUZZ_NLINK] __attribute__((unused)) = {
	[FUZZ_EN10MB] = DLT_EN10MB,
	[FUZZ_RAW] = DLT_RAW,
	[FUZZ_LINKTYPE_RAW] = LINKTYPE_RAW,
	[FUZZ_IPV4] = DLT_IPV4,
	[FUZZ_IPV6] = DLT_IPV6,
	[FUZZ_SLL] = DLT_LINUX_SLL,
};

#endif
