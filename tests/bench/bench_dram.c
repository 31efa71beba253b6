// SPDX-License-Identifier: MIT
/*
 * The touch engine's own fill and check loops (touch/lines.h, the code the
 * UEFI image runs) over host DRAM, against rep stosq + a plain read of the
 * same buffer in the same run: chunk by chunk, alternating which goes first,
 * so both see the same memory, the same neighbours and the same pages. On 1
 * thread and on every core (each thread its own slice, all threads on the
 * same step at once). Then the machine's memset/memcpy for scale.
 *
 *   host-dram ratio=R engine_gib_s=X raw_gib_s=Y threads=N
 *
 * GiB/s count every byte written once and read once (as make bench's MiB/s);
 * ratio = raw time / engine time (>= 1: the engine is as fast as rep stosq).
 * Each step (every thread on one chunk) is timed alone, and the numbers are
 * medians over the steps: on a shared machine a step that lost its core to
 * a neighbour says nothing about either loop.
 * Usage: bench_dram [MiB, default 1024] [passes, default 3]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "touch/lines.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define CHUNK_BYTES (64 * MIB) /* twice this machine's L3: both sides go to DRAM */
#define MAX_THREADS 256
#define FIRST_TAG 0xc75a000000000000ULL
#define MAX_STEPS 4096

struct worker {
	pthread_t tid;
	uint8_t *lo;
	uint64_t bytes;
	uint64_t bad; /* lines the engine's check did not find whole: the benchmark is void */
};

static pthread_barrier_t step_barrier;
static unsigned passes;
static struct worker workers[MAX_THREADS];
static uint64_t raw_ns[MAX_STEPS], engine_ns[MAX_STEPS]; /* step times, written by thread 0 only */
static unsigned nr_raw, nr_engine;
static volatile uint64_t sink;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void engine(struct worker *w, uint8_t *p, uint64_t len)
{
	uint64_t observed, first = FIRST_TAG + (uint64_t)(p - w->lo) / 64;

	touch_lines_fill((uint64_t *)p, len, first);
	if (touch_lines_check((const volatile uint64_t *)p, len, first, &observed) != len)
		w->bad++;
}

/* Every thread does the same step on its own chunk; thread 0 times the step between barriers. */
static void timed(struct worker *w, bool is_raw, uint8_t *p, uint64_t len)
{
	uint64_t t0;

	pthread_barrier_wait(&step_barrier);
	t0 = now_ns();
	if (is_raw)
		sink ^= touch_raw_fill_read(p, len);
	else
		engine(w, p, len);
	pthread_barrier_wait(&step_barrier);
	if (w == &workers[0] && (is_raw ? nr_raw : nr_engine) < MAX_STEPS) {
		if (is_raw)
			raw_ns[nr_raw++] = now_ns() - t0;
		else
			engine_ns[nr_engine++] = now_ns() - t0;
	}
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	uint64_t chunks = w->bytes / CHUNK_BYTES;

	for (unsigned pass = 0; pass < passes; pass++)
		for (uint64_t c = 0; c < chunks; c++) {
			bool raw_first = (c + pass) % 2 == 0;
			uint8_t *p = w->lo + c * CHUNK_BYTES;

			timed(w, raw_first, p, CHUNK_BYTES);
			timed(w, !raw_first, p, CHUNK_BYTES);
		}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n ? v[n / 2] : 0;
}

static double gib_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / GIB / ((double)ns / 1e9) : 0;
}

static int run_threads(uint8_t *buf, uint64_t size, unsigned n)
{
	uint64_t slice = size / n / CHUNK_BYTES * CHUNK_BYTES, bad = 0, raw, eng;

	if (!slice) {
		fprintf(stderr, "bench_dram: %llu MiB is too small for %u threads\n",
			(unsigned long long)(size / MIB), n);
		return -1;
	}
	nr_raw = nr_engine = 0;
	pthread_barrier_init(&step_barrier, NULL, n);
	for (unsigned i = 0; i < n; i++) {
		workers[i] = (struct worker){ .lo = buf + i * slice, .bytes = slice };
		if (i)
			pthread_create(&workers[i].tid, NULL, run_worker, &workers[i]);
	}
	run_worker(&workers[0]);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			pthread_join(workers[i].tid, NULL);
		bad += workers[i].bad;
	}
	pthread_barrier_destroy(&step_barrier);
	if (bad) {
		fprintf(stderr, "bench_dram: the engine's check failed on %llu chunks of host memory\n",
			(unsigned long long)bad);
		return -1;
	}
	/* A step moves one chunk per thread, written once and read once: 2 x bytes, as make bench counts. */
	raw = median(raw_ns, nr_raw);
	eng = median(engine_ns, nr_engine);
	printf("host-dram ratio=%.2f engine_gib_s=%.1f raw_gib_s=%.1f threads=%u\n", eng ? (double)raw / (double)eng : 0,
	       gib_s(2 * CHUNK_BYTES * n, eng), gib_s(2 * CHUNK_BYTES * n, raw), n);
	fflush(stdout);
	return 0;
}

/* For scale: libc memset over the buffer, memcpy of one half to the other (one thread). */
static void libc_scale(uint8_t *buf, uint64_t size)
{
	uint64_t t0, set_ns = 0, cpy_ns = 0, half = size / 2;

	for (unsigned pass = 0; pass < passes; pass++) {
		t0 = now_ns();
		memset(buf, (int)pass + 1, size);
		set_ns += now_ns() - t0;
		t0 = now_ns();
		memcpy(buf + half, buf, half);
		cpy_ns += now_ns() - t0;
		sink ^= buf[size - 1];
	}
	printf("host-dram memset_gib_s=%.1f memcpy_gib_s=%.1f threads=1 (memset: bytes written; memcpy: bytes "
	       "copied, each read once and written once)\n",
	       gib_s(size * passes, set_ns), gib_s(half * passes, cpy_ns));
}

int main(int argc, char **argv)
{
	uint64_t size = (argc > 1 ? strtoull(argv[1], NULL, 0) : 1024) * MIB;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	uint8_t *buf;

	passes = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 3;
	if (size < CHUNK_BYTES || !passes || cores < 1) {
		fprintf(stderr, "usage: bench_dram [MiB >= %llu] [passes >= 1]\n",
			(unsigned long long)(CHUNK_BYTES / MIB));
		return 2;
	}
	if (cores > MAX_THREADS)
		cores = MAX_THREADS;
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("bench_dram: mmap");
		return 1;
	}
	madvise(buf, size, MADV_HUGEPAGE); /* fewer TLB misses, the same for both sides */
	memset(buf, 0, size);		   /* every page faulted in before anything is timed */
	printf("host DRAM: %llu MiB buffer, %llu MiB chunks alternating engine and raw, %u passes, %ld cores "
	       "(medians over the steps)\n",
	       (unsigned long long)(size / MIB), (unsigned long long)(CHUNK_BYTES / MIB), passes, cores);
	if (run_threads(buf, size, 1) || (cores > 1 && run_threads(buf, size, (unsigned)cores)))
		return 1;
	libc_scale(buf, size);
	munmap(buf, size);
	return 0;
}
