/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A case's fixture (struct tw_fixture, case.h): what it declares in its
 * TW_CASE() -- sock_diag views, listeners, an impairment, captures -- built
 * before its run() and torn down after, on one path, as kselftest_harness.h
 * does with FIXTURE_SETUP() and FIXTURE_TEARDOWN().
 */
#ifndef TWLAB_FIXTURE_H
#define TWLAB_FIXTURE_H

#include "case.h"

/*
 * Build @c's fixture in @lab for an instance of @family.  The client's
 * capture goes to @pcap (NULL or "": none); @r says what it holds.  On
 * failure @r says why: SKIP where the case cannot run without a part the
 * machine cannot give (a capture), ERROR otherwise.  Either way the caller
 * calls fixture_teardown().
 */
int fixture_setup(struct tw_fixture *fx, struct lab *lab, const struct tw_case *c,
		  int family, const char *pcap, struct tw_result *r);
/* Close what fixture_setup() opened; an incomplete capture spoils only a case that reads it. */
void fixture_teardown(struct tw_fixture *fx, const struct tw_case *c, struct tw_result *r);

#endif
