/* SPDX-License-Identifier: MIT */
/*
 * Invariants of planner output, shared by the planner unit tests (cmocka) and
 * the planner fuzzer (libFuzzer): each check returns NULL when the plan holds,
 * else a sentence naming the first broken rule, so each caller fails its own way.
 */
#ifndef CXLVAL_TEST_PLAN_CHECK_H
#define CXLVAL_TEST_PLAN_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "cxl/planner.h"
#include "cxl/topology.h"
#include "unit/support/rng.h"

/*
 * Route an HPA the way the programmed hardware would: the window picks a host
 * bridge (modulo or XOR, 3/6/12 ways included), each port decoder a target,
 * the endpoint decoder a DPA, all with the reference rules of
 * ref_interleave.c, never with cxl/interleave.c. false if it is not decoded.
 */
bool plan_walk(const struct cxl_topology *t, const struct region_plan *plan, uint64_t hpa, int *ep,
	       uint64_t *dpa);

/*
 * One successful plan: inside its window, the window's interleave widened
 * below the host bridges, decoder settings consistent, commit order, each
 * endpoint's DPA inside its partition and its decoder free. Then routing:
 * the walker above, the flat region interleave set and planner_route() agree
 * on edge_granules granules at each end per way and nr_random addresses.
 */
const char *plan_check(const struct cxl_topology *t, const struct region_plan *plan, struct test_rng *rng,
		       unsigned edge_granules, unsigned nr_random);

/*
 * Every successful plan of one planner run, pairwise and against what
 * firmware committed: no HPA or DPA claimed twice, and on every port and
 * endpoint decoder indices increase with HPA.
 */
const char *plan_check_all(const struct cxl_topology *t, const struct region_plan *plans, unsigned nr_plans);

#endif
