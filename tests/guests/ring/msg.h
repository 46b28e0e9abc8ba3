/* SPDX-License-Identifier: MIT */
/*
 * The ring-lossless test messages, shared by the ring guest and the host
 * unit test (tests/unit/test_ring.c). A message is a 16-byte header
 * {seq, checksum, payload length} and 1..256 payload bytes; length and
 * bytes are a pure function of (seed, seq), so the consumer can tell a lost,
 * duplicated, truncated or corrupted message from the message alone. The
 * checksum is FNV-1a over seq, length and payload.
 */
#ifndef BOLT_TEST_RING_MSG_H
#define BOLT_TEST_RING_MSG_H

#include <stddef.h>
#include <stdint.h>

#define RMSG_HDR 16u
#define RMSG_MAX_PAYLOAD 256u
#define RMSG_MAX (RMSG_HDR + RMSG_MAX_PAYLOAD)

struct rmsg_hdr {
	uint64_t seq;
	uint32_t csum;
	uint32_t plen;
};

_Static_assert(sizeof(struct rmsg_hdr) == RMSG_HDR, "test message header size");

/* splitmix64 finaliser: decorrelates consecutive sequence numbers. */
static inline uint64_t rmsg_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline uint64_t rmsg_xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static inline uint32_t rmsg_fnv1a(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

static inline uint32_t rmsg_csum(uint64_t seq, uint32_t plen, const uint8_t *payload)
{
	uint32_t h = 2166136261u;

	h = rmsg_fnv1a(h, &seq, sizeof(seq));
	h = rmsg_fnv1a(h, &plen, sizeof(plen));
	return rmsg_fnv1a(h, payload, plen);
}

/* Payload length of message seq: 1..RMSG_MAX_PAYLOAD. */
static inline uint32_t rmsg_plen(uint64_t seed, uint64_t seq)
{
	return (uint32_t)(rmsg_mix(seed ^ (seq * 0x9e3779b97f4a7c15ull)) % RMSG_MAX_PAYLOAD) + 1;
}

/* Write message seq into buf (RMSG_MAX bytes); returns its total length. */
static inline size_t rmsg_build(uint8_t *buf, uint64_t seed, uint64_t seq)
{
	struct rmsg_hdr h = { .seq = seq, .plen = rmsg_plen(seed, seq) };
	uint64_t x = rmsg_mix(seed + seq) | 1;
	uint8_t *p = buf + RMSG_HDR;

	for (uint32_t i = 0; i < h.plen; i += 8) {
		uint32_t n = h.plen - i < 8 ? h.plen - i : 8;

		x = rmsg_xorshift(x);
		__builtin_memcpy(p + i, &x, n);
	}
	h.csum = rmsg_csum(seq, h.plen, p);
	__builtin_memcpy(buf, &h, sizeof(h));
	return RMSG_HDR + h.plen;
}

/*
 * Check a received message of len bytes: NULL and *seq set if it is intact
 * (its length is the one its seq calls for and the checksum matches),
 * else what is wrong with it (*seq is then whatever the header said).
 */
static inline const char *rmsg_check(const uint8_t *buf, size_t len, uint64_t seed, uint64_t *seq)
{
	struct rmsg_hdr h;

	if (len < RMSG_HDR)
		return "shorter than its header";
	__builtin_memcpy(&h, buf, sizeof(h));
	*seq = h.seq;
	if (h.plen != len - RMSG_HDR)
		return "length does not match its header";
	if (h.plen != rmsg_plen(seed, h.seq))
		return "length is not the one its sequence number calls for";
	if (h.csum != rmsg_csum(h.seq, h.plen, buf + RMSG_HDR))
		return "checksum mismatch";
	return NULL;
}

/*
 * The benchmark's cheap variant: the producer sends message (seq % pool)
 * of a prebuilt pool with only the sequence number patched in, and the
 * consumer checks the sequence number and the length (not the checksum,
 * which was computed for the pool's own number).
 */
static inline const char *rmsg_check_light(const uint8_t *buf, size_t len, uint64_t seed,
					   uint64_t pool, uint64_t *seq)
{
	struct rmsg_hdr h;

	if (len < RMSG_HDR)
		return "shorter than its header";
	__builtin_memcpy(&h, buf, sizeof(h));
	*seq = h.seq;
	if (h.plen != len - RMSG_HDR || h.plen != rmsg_plen(seed, h.seq % pool))
		return "length does not match its header or its sequence number";
	return NULL;
}

#endif
