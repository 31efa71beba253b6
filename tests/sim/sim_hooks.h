/* SPDX-License-Identifier: MIT */
/* Between sim.c and the simulator's feature files: what sim.c calls, and what it offers them. */
#ifndef CXLVAL_SIM_HOOKS_H
#define CXLVAL_SIM_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

/* sim.c offers */
uint8_t *sim_cfg_space(int node);
void sim_set_dvsec_ctrl(int node, uint16_t v);

/* sim.c calls: on sim_reset, on every config read, on every mailbox command */
void sim_dvsec_reset(void);
void sim_mbox_reset(void);
uint32_t sim_dvsec_read(int node, unsigned off, uint32_t value);
/* true when the command is answered here: payload (512 B), *len and *rc filled */
/* every memory access that reaches a device, for the poison model */
void sim_poison_access(int node, uint64_t dpa);
bool sim_mbox_command(int node, uint16_t opcode, uint32_t *payload, uint32_t *len, uint32_t *rc);

#endif
