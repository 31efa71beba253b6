// SPDX-License-Identifier: MIT
/* Mailbox commands of the simulated memory device beyond Identify: Get Poison List. */
#include <string.h>

#include "sim/sim.h"
#include "sim/sim_hooks.h"
#include "sim/sim_regs.h"

#define MAX_RECORDS 64
#define PER_REPLY 30 /* what fits a 512-byte payload after the 32-byte header */

static struct {
	unsigned n, cursor, requests, hits;
	int media_status; /* Get Health Info: -1 unsupported (the default) */
	uint64_t dpa[MAX_RECORDS], len[MAX_RECORDS];
} poison[SIM_MAX_NODES];

void sim_mbox_reset(void)
{
	memset(poison, 0, sizeof(poison));
	for (int i = 0; i < SIM_MAX_NODES; i++)
		poison[i].media_status = -1;
}

void sim_set_media_status(int ep, int status)
{
	poison[ep].media_status = status;
}

void sim_inject_poison(int ep, uint64_t dpa, uint64_t len)
{
	unsigned i = poison[ep].n++;

	poison[ep].dpa[i] = dpa;
	poison[ep].len[i] = len;
}

unsigned sim_poison_requests(int ep)
{
	return poison[ep].requests;
}

/* Real hardware raises a machine check here; the simulator counts. */
void sim_poison_access(int node, uint64_t dpa)
{
	for (unsigned i = 0; i < poison[node].n; i++)
		if (dpa >= poison[node].dpa[i] && dpa < poison[node].dpa[i] + poison[node].len[i])
			poison[node].hits++;
}

unsigned sim_poison_hits(int ep)
{
	return poison[ep].hits;
}

static uint64_t get64(const uint32_t *w, unsigned byte_off)
{
	return (uint64_t)w[byte_off / 4 + 1] << 32 | w[byte_off / 4];
}

static void put64(uint32_t *w, unsigned byte_off, uint64_t v)
{
	w[byte_off / 4] = (uint32_t)v;
	w[byte_off / 4 + 1] = (uint32_t)(v >> 32);
}

/* Records overlapping the asked range, PER_REPLY at a time; More set while some remain. */
static void get_poison(int node, uint32_t *payload, uint32_t *len)
{
	uint64_t lo = get64(payload, 0), hi = lo + get64(payload, 8) * POISON_UNIT;
	unsigned out = 0, i = poison[node].cursor;

	poison[node].requests++;
	memset(payload, 0, 512);
	for (; i < poison[node].n && out < PER_REPLY; i++) {
		if (poison[node].dpa[i] >= hi || poison[node].dpa[i] + poison[node].len[i] <= lo)
			continue;
		put64(payload, POISON_RECORDS + out * POISON_RECORD_SIZE, poison[node].dpa[i]);
		payload[(POISON_RECORDS + out * POISON_RECORD_SIZE + 8) / 4] =
			(uint32_t)(poison[node].len[i] / POISON_UNIT);
		out++;
	}
	poison[node].cursor = i < poison[node].n ? i : 0;
	if (poison[node].cursor)
		payload[0] = POISON_FLAG_MORE;
	payload[POISON_COUNT_BYTE / 4] = out << 16; /* the count is bytes 0x0a-0x0b */
	*len = POISON_RECORDS + out * POISON_RECORD_SIZE;
}

bool sim_mbox_command(int node, uint16_t opcode, uint32_t *payload, uint32_t *len, uint32_t *rc)
{
	if (opcode == OPCODE_GET_HEALTH_INFO && poison[node].media_status >= 0) {
		memset(payload, 0, HEALTH_INFO_LENGTH);
		payload[0] = (uint32_t)poison[node].media_status << 8;
		*len = HEALTH_INFO_LENGTH;
		*rc = 0;
		return true;
	}
	if (opcode != OPCODE_GET_POISON_LIST)
		return false;
	get_poison(node, payload, len);
	*rc = 0;
	return true;
}
