// SPDX-License-Identifier: GPL-2.0
/*
 * Write fuzz_segment's seed corpus into a directory: every fixture frame
 * of tests/unit/fixtures/segments.h behind each link header that fits it,
 * one file each, prefixed with the byte that picks that link type.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/fixtures/segments.h"
#include "linktypes.h"

#define ETH_HLEN	14
#define SLL_HLEN	16

static int write_seed(const char *dir, const char *name, int link,
		      const uint8_t *hdr, size_t hlen, const uint8_t *body, size_t blen)
{
	uint8_t sel = (uint8_t)link;
	char path[4096];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s.%d", dir, name, link);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	if (fwrite(&sel, 1, 1, f) != 1 || (hlen && fwrite(hdr, 1, hlen, f) != hlen) ||
	    fwrite(body, 1, blen, f) != blen)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static int write_frame(const char *dir, const struct fixture_frame *fx)
{
	uint16_t type = fx->bytes[12] << 8 | fx->bytes[13];
	const uint8_t *ip = fx->bytes + ETH_HLEN;
	size_t iplen = fx->len - ETH_HLEN;
	uint8_t sll[SLL_HLEN] = { 0, 4, 0, 1, 0, 6 };	/* outgoing, ARPHRD_ETHER */
	int err;

	err = write_seed(dir, fx->name, FUZZ_EN10MB, NULL, 0, fx->bytes, fx->len);
	if (err || (type != 0x0800 && type != 0x86dd))
		return err;
	err = write_seed(dir, fx->name, FUZZ_RAW, NULL, 0, ip, iplen);
	if (!err)
		err = write_seed(dir, fx->name, FUZZ_LINKTYPE_RAW, NULL, 0, ip, iplen);
	if (!err)
		err = write_seed(dir, fx->name, type == 0x0800 ? FUZZ_IPV4 : FUZZ_IPV6,
				 NULL, 0, ip, iplen);
	memcpy(sll + 6, fx->bytes + 6, 6);
	memcpy(sll + 14, fx->bytes + 12, 2);
	if (!err)
		err = write_seed(dir, fx->name, FUZZ_SLL, sll, sizeof(sll), ip, iplen);
	return err;
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < FIXTURE_FRAMES; i++) {
		err = write_frame(argv[1], &fixture_frames[i]);
		if (err) {
			fprintf(stderr, "seeds: %s: %s\n", fixture_frames[i].name, strerror(-err));
			return 1;
		}
	}
	return 0;
}
