/* SPDX-License-Identifier: MIT */
/*
 * What a machine check left in the MCA banks (Intel SDM Vol. 3B §16.3,
 * AMD APM Vol. 2 §9.3), logged from the #MC handler before it restores the
 * decoders and ends the run with status exception. Reading poison on real
 * CXL memory ends here, never in a silent reset.
 */
#ifndef CXLVAL_MACHINE_CHECK_H
#define CXLVAL_MACHINE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/bits.h"

#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MCG_CAP_COUNT GENMASK_ULL(7, 0)
#define MSR_MC_STATUS(i) (0x401 + 4 * (i))
#define MSR_MC_ADDR(i) (0x402 + 4 * (i))
#define MSR_MC_MISC(i) (0x403 + 4 * (i))
#define MCI_STATUS_VAL BIT_ULL(63)
#define MCI_STATUS_UC BIT_ULL(61)
#define MCI_STATUS_MISCV BIT_ULL(59)
#define MCI_STATUS_ADDRV BIT_ULL(58)
#define MCI_STATUS_PCC BIT_ULL(57)
#define CPUID1_EDX_MCE BIT(7)
#define CPUID1_EDX_MCA BIT(14)
#define MCA_MAX_BANKS 64

/* Where the plan says an HPA lives ("region0 mem1 DPA 0x1000"); false if no region covers it. */
typedef bool (*mce_locate_fn)(uint64_t hpa, char *where, size_t cap);

/*
 * Logs MCG_STATUS and every bank whose status is valid (event mce.bank:
 * status, addr, misc and, for an address, the device and DPA locate gives).
 * Returns the number of valid banks. No MCA: logs that and returns 0.
 */
unsigned machine_check_report(mce_locate_fn locate);

#endif
