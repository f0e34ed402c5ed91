// SPDX-License-Identifier: GPL-2.0
/*
 * lib/capture.c against the real kernel: one TCP connection across the
 * lab's veth, captured in the client namespace, must show up whole among
 * capture_segments() and in a pcap file that libpcap and tcpdump read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/tcp.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "clock.h"
#include "conn.h"
#include "itest.h"
#include "lab.h"
#include "sockview.h"
#include "wait.h"

#define LAB_ID		9
#define SETTLE_MS	3000

struct fixture {
	struct netns home;
	struct lab lab;
	struct capture *c;
	char path[64];		/* the pcap file, removed by teardown */
};

ITEST_LAB_GROUP(struct fixture, LAB_PAIR, LAB_ID)

/* After each test, whatever it asserted: no capture left, no file left. */
static int test_teardown(void **state)
{
	struct fixture *f = *state;

	capture_stop(f->c, NULL);
	f->c = NULL;
	if (f->path[0])
		unlink(f->path);
	f->path[0] = '\0';
	return 0;
}

static void start(struct fixture *f, bool to_file)
{
	int err, fd;

	if (to_file) {
		snprintf(f->path, sizeof(f->path), "/tmp/twlab-capture-XXXXXX.pcap");
		fd = mkstemps(f->path, 5);
		assert_true(fd >= 0);
		close(fd);
	}
	err = capture_start(&f->c, &f->lab.host[LAB_CLIENT].ns, LAB_IFNAME,
			    to_file ? f->path : NULL);
	if (err)
		fail_msg("capture_start: %s: %s", strerror(-err), capture_error(f->c));
}

/* Both ends have left every state but TIME_WAIT: the last ACK has crossed. */
static void settle(struct fixture *f, const struct tuple *tc)
{
	struct watch w = { .states = TCPF_ALL & ~TCPF(TCP_TIME_WAIT) };
	int64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	struct sockview sv = { 0 };

	assert_int_equal(sockview_open(&sv, &f->lab.host[LAB_SERVER].ns), 0);
	tuple_reverse(tc, &w.t);
	assert_int_equal(wait_gone(&sv, &w, 1, deadline), 0);
	sockview_close(&sv);
	assert_int_equal(sockview_open(&sv, &f->lab.host[LAB_CLIENT].ns), 0);
	assert_int_equal(wait_state(&sv, tc, TCPF(TCP_TIME_WAIT), deadline), 0);
	sockview_close(&sv);
}

/* Connect, send "ping" and "pong", the client closes first; *@tc its tuple. */
static void one_connection(struct fixture *f, int family, uint16_t port, struct tuple *tc)
{
	struct endpoint srv;
	int lfd, cfd, sfd;
	char buf[8];

	lab_endpoint(&f->lab, LAB_SERVER, 0, family, port, &srv);
	lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
	assert_true(lfd >= 0);
	assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &cfd, &sfd), 0);
	close(lfd);
	assert_int_equal(tuple_of_socket(cfd, tc), 0);
	assert_int_equal(write(cfd, "ping", 4), 4);
	assert_int_equal(read(sfd, buf, sizeof(buf)), 4);
	assert_int_equal(write(sfd, "pong", 4), 4);
	assert_int_equal(read(cfd, buf, sizeof(buf)), 4);
	close(cfd);
	assert_int_equal(conn_wait_eof(sfd, CONN_TIMEOUT_MS), 0);
	close(sfd);
	settle(f, tc);
}

/* Index of the first segment from @from on, on @t, whose flags are @flags; -1 if none. */
static int find(const struct tcp_segment *seg, int n, int from, const struct tuple *t,
		uint8_t flags)
{
	for (int i = from < 0 ? n : from; i < n; i++)
		if (tuple_eq(&seg[i].t, t) && seg[i].flags == flags)
			return i;
	return -1;
}

static int first_data(const struct tcp_segment *seg, int n, const struct tuple *t)
{
	for (int i = 0; i < n; i++)
		if (tuple_eq(&seg[i].t, t) && seg[i].payload_len)
			return i;
	return -1;
}

/* The handshake, the first data byte and the close, in order, on the right tuples. */
static void check_segments(struct capture *c, const struct tuple *tc)
{
	int syn, synack, data, cfin, sfin, last;
	struct tcp_segment *seg;
	struct tuple ts;
	int n;

	tuple_reverse(tc, &ts);
	n = capture_segments(c, NULL, 0);
	assert_true(n >= 8);		/* 3 to open, 2 data + 2 ACKs or piggybacked, 3 to close */
	seg = calloc(n, sizeof(*seg));
	assert_non_null(seg);
	assert_int_equal(capture_segments(c, seg, n), n);

	syn = find(seg, n, 0, tc, TH_SYN);
	synack = find(seg, n, syn, &ts, TH_SYN | TH_ACK);
	data = first_data(seg, n, tc);
	cfin = find(seg, n, synack, tc, TH_FIN | TH_ACK);
	sfin = find(seg, n, cfin, &ts, TH_FIN | TH_ACK);
	last = find(seg, n, sfin, tc, TH_ACK);
	assert_true(syn >= 0 && synack > syn && data > synack);
	assert_true(cfin > data && sfin > cfin && last > sfin);

	assert_int_equal(seg[synack].ack, seg[syn].seq + 1);
	/* the SYN takes one sequence number: data starts at ISN + 1 (RFC 9293 3.4) */
	assert_int_equal(seg[data].seq, seg[syn].seq + 1);
	assert_int_equal(seg[data].payload_len, 4);
	assert_int_equal(seg[cfin].seq, seg[syn].seq + 1 + 4);
	assert_int_equal(seg[last].ack, seg[sfin].seq + 1);
	assert_true(seg[syn].has_mss && seg[syn].has_ts);	/* the lab's defaults */
	for (int i = 0; i < n; i++) {
		assert_true(seg[i].ts_us > 0);
		if (i)
			assert_true(seg[i].ts_us >= seg[i - 1].ts_us);
	}
	free(seg);
}

static unsigned int pcap_file_frames(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	unsigned int n = 0;
	pcap_t *p;
	int ret;

	p = pcap_open_offline(path, errbuf);
	if (!p)
		fail_msg("pcap_open_offline: %s", errbuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	while ((ret = pcap_next_ex(p, &h, &bytes)) == 1)
		n++;
	assert_int_equal(ret, PCAP_ERROR_BREAK);	/* end of file, not an error */
	pcap_close(p);
	return n;
}

static void check_tcpdump(const char *path)
{
	char cmd[128];

	if (system("command -v tcpdump >/dev/null 2>&1")) {
		print_message("# tcpdump not installed: skipped tcpdump -r\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "tcpdump -r %s -n >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);
}

static void capture_connection(void **state, int family, uint16_t port)
{
	struct fixture *f = *state;
	unsigned int npackets;
	struct tuple tc;

	start(f, true);
	one_connection(f, family, port, &tc);
	assert_int_equal(capture_sync(f->c, CAPTURE_SYNC_MS), 0);
	check_segments(f->c, &tc);

	assert_int_equal(capture_stop(f->c, &npackets), 0);
	f->c = NULL;
	assert_true(npackets >= 8);
	assert_int_equal(pcap_file_frames(f->path), npackets);
	check_tcpdump(f->path);
}

static void test_capture_ipv4(void **state)
{
	capture_connection(state, AF_INET, 9100);
}

static void test_capture_ipv6(void **state)
{
	capture_connection(state, AF_INET6, 9101);
}

/*
 * The packet socket is made in the lab, yet the caller is back home when
 * capture_start() returns; and a capture with no file keeps segments all
 * the same, sync after sync.
 */
static void test_capture_no_file_stays_home(void **state)
{
	struct fixture *f = *state;
	struct netns now = NETNS_INIT;
	unsigned int npackets;
	struct tuple tc;
	int n;

	start(f, false);
	assert_int_equal(netns_current(&now), 0);
	assert_true(netns_same(&now, &f->home));
	netns_close(&now);

	assert_int_equal(capture_sync(f->c, CAPTURE_SYNC_MS), 0);
	n = capture_segments(f->c, NULL, 0);
	one_connection(f, AF_INET, 9102, &tc);
	assert_int_equal(capture_sync(f->c, CAPTURE_SYNC_MS), 0);
	assert_true(capture_segments(f->c, NULL, 0) >= n + 8);
	assert_int_equal(capture_sync(f->c, CAPTURE_SYNC_MS), 0);
	assert_int_equal(capture_stop(f->c, &npackets), 0);
	f->c = NULL;
	assert_true(npackets >= 8);
}

static void test_capture_errors(void **state)
{
	struct fixture *f = *state;
	struct netns now = NETNS_INIT;
	unsigned int npackets = 1;
	int err;

	/* tw0 of the lab does not exist at home: the lookup ran in the lab */
	err = capture_start(&f->c, &f->lab.host[LAB_CLIENT].ns, "tw9", NULL);
	assert_int_equal(err, -ENODEV);
	assert_non_null(f->c);
	assert_true(strlen(capture_error(f->c)) > 0);
	assert_int_equal(netns_current(&now), 0);
	assert_true(netns_same(&now, &f->home));
	netns_close(&now);
	capture_stop(f->c, NULL);
	f->c = NULL;

	/* a file that cannot be made: the error is the errno, the text libpcap's */
	err = capture_start(&f->c, &f->lab.host[LAB_CLIENT].ns, LAB_IFNAME,
			    "/nonexistent-dir/x.pcap");
	assert_int_equal(err, -ENOENT);
	assert_non_null(strstr(capture_error(f->c), "/nonexistent-dir/x.pcap"));
	capture_stop(f->c, NULL);
	f->c = NULL;

	assert_int_equal(capture_stop(NULL, &npackets), 0);
	assert_int_equal(npackets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_capture_ipv4, test_teardown),
		cmocka_unit_test_teardown(test_capture_ipv6, test_teardown),
		cmocka_unit_test_teardown(test_capture_no_file_stays_home, test_teardown),
		cmocka_unit_test_teardown(test_capture_errors, test_teardown),
	};

	return cmocka_run_group_tests_name("capture (root, real kernel)", tests,
					   setup, teardown);
}
