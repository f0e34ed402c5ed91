/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture the two LAST_ACK cases share, and the call that works in it
 * (lib/lastack.h): a case that declares the one uses the other.
 */
#ifndef TWLAB_CASES_LASTACK_FIXTURE_H
#define TWLAB_CASES_LASTACK_FIXTURE_H

#include "case.h"
#include "lastack.h"

/*
 * What lastack_open() needs of a case's fixture (harness/case.h): both
 * hosts' sock_diag views, a listener on @port, the impairment that drops
 * the final ACK; and the capture, the one witness of a LAST_ACK the polls
 * missed (lastack_missed()).
 */
#define LASTACK_FIXTURE(port)					\
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),		\
	.listen = { LISTEN(port) },				\
	.needs = NEED_CAPTURE | NEED_IMPAIR

#endif
