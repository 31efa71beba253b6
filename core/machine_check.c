// SPDX-License-Identifier: MIT
#include "core/machine_check.h"

#include "core/log.h"
#include "lib/platform.h"

static void log_bank(unsigned i, uint64_t status, mce_locate_fn locate)
{
	struct log_event ev;
	char where[64] = "";
	uint64_t addr = status & MCI_STATUS_ADDRV ? plat_read_msr(MSR_MC_ADDR(i)) : 0;

	if ((status & MCI_STATUS_ADDRV) && locate && !locate(addr, where, sizeof(where)))
		where[0] = '\0';
	log_begin(&ev, LOG_ERROR, "mce.bank");
	log_msg(&ev, "bank %u: %s error%s%s%s", i, status & MCI_STATUS_UC ? "uncorrected" : "corrected",
		status & MCI_STATUS_ADDRV ? " at HPA" : "", where[0] ? ", by the plan " : "", where);
	log_u64(&ev, "bank", i);
	log_hex(&ev, "status", status);
	if (status & MCI_STATUS_ADDRV)
		log_hex(&ev, "addr", addr);
	if (status & MCI_STATUS_MISCV)
		log_hex(&ev, "misc", plat_read_msr(MSR_MC_MISC(i)));
	log_bool(&ev, "uncorrected", status & MCI_STATUS_UC);
	log_bool(&ev, "context_corrupt", status & MCI_STATUS_PCC);
	if (where[0])
		log_str(&ev, "predicted", where);
	log_end(&ev);
}

unsigned machine_check_report(mce_locate_fn locate)
{
	struct log_event ev;
	uint32_t id[4];
	uint64_t cap;
	unsigned banks, valid = 0;

	plat_cpuid(1, 0, id);
	if (!(id[3] & CPUID1_EDX_MCA)) {
		log_printf(LOG_ERROR, "mce", "machine check; the CPU has no MCA banks to say more");
		return 0;
	}
	cap = plat_read_msr(MSR_MCG_CAP);
	banks = (unsigned)FIELD_GET(MCG_CAP_COUNT, cap);
	if (banks > MCA_MAX_BANKS)
		banks = MCA_MAX_BANKS;
	for (unsigned i = 0; i < banks; i++) {
		uint64_t status = plat_read_msr(MSR_MC_STATUS(i));

		if (status & MCI_STATUS_VAL) {
			log_bank(i, status, locate);
			valid++;
		}
	}
	log_begin(&ev, LOG_ERROR, "mce");
	log_msg(&ev, "machine check: %u of %u banks hold an error%s", valid, banks,
		valid ? "" : " (raised by software, or the error left no record)");
	log_hex(&ev, "mcg_cap", cap);
	log_hex(&ev, "mcg_status", plat_read_msr(MSR_MCG_STATUS));
	log_u64(&ev, "banks", banks);
	log_u64(&ev, "valid", valid);
	log_end(&ev);
	return valid;
}
