// SPDX-License-Identifier: MIT
/*
 * Every CPU through the UEFI MP Services protocol (PI spec vol. 2 §13.4).
 * One StartupAllAPs call (non-blocking, with a timeout) per plat_run_steps:
 * each AP finds its worker by its APIC ID in a table the BSP built with
 * GetProcessorInfo, then runs the steps with a spin barrier between them, so
 * there is one firmware round trip per run, not one per step. APs call no
 * firmware service and never log: they run fn and set their own flags.
 * The BSP runs worker 0 meanwhile. A CPU that misses a barrier's deadline is
 * left behind (the others go on) and reported as not back.
 */
#include "boot/uefi.h"

#include "boot/portio.h"
#include "core/log.h"
#include "lib/platform.h"

#define MP_MAX_CPUS 64
#define PROCESSOR_AS_BSP 0x1
#define PROCESSOR_ENABLED 0x2
#define CPUID_X2APIC_TOPOLOGY 0xb
#define EVENT_GRACE_NS (2ULL * 1000 * 1000 * 1000) /* firmware notices finished APs on a timer */

typedef struct _MP_SERVICES MP_SERVICES;
typedef VOID(EFIAPI *AP_PROCEDURE)(VOID *arg);

typedef struct {
	UINT64 ProcessorId; /* APIC ID */
	UINT32 StatusFlag;
	UINT32 Package, Core, Thread;
	UINT8 Extended[64]; /* PI 1.7 extended topology; room so a newer firmware cannot overrun us */
} PROCESSOR_INFO;

struct _MP_SERVICES {
	EFI_STATUS(EFIAPI *GetNumberOfProcessors)(MP_SERVICES *self, UINTN *total, UINTN *enabled);
	EFI_STATUS(EFIAPI *GetProcessorInfo)(MP_SERVICES *self, UINTN number, PROCESSOR_INFO *info);
	EFI_STATUS(EFIAPI *StartupAllAPs)(MP_SERVICES *self, AP_PROCEDURE proc, BOOLEAN single_thread,
					   EFI_EVENT wait_event, UINTN timeout_us, VOID *arg, UINTN **failed);
	/* StartupThisAP, SwitchBSP, EnableDisableAP, WhoAmI: not used */
};

static EFI_GUID mp_guid = { 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };
static MP_SERVICES *mp;
static unsigned nr_cpus = 1;		   /* the BSP plus enabled APs, at most MP_MAX_CPUS */
static uint32_t apic_id[MP_MAX_CPUS];	   /* [0] is the BSP */
static bool probed;

struct mp_job {
	plat_step_fn fn;
	void *const *args;
	unsigned n, steps;
	uint64_t deadline_ns;
	volatile uint32_t arrived; /* barrier: step s is over for all when arrived >= n * (s + 1) */
	volatile uint8_t finished[MP_MAX_CPUS];
};

uint32_t mp_apic_id(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= CPUID_X2APIC_TOPOLOGY) {
		cpuid(CPUID_X2APIC_TOPOLOGY, 0, r);
		if (r[1])
			return r[3];
	}
	cpuid(1, 0, r);
	return r[1] >> 24;
}

static void probe(void)
{
	UINTN total = 0, enabled = 0;

	probed = true;
	if (efi_bs->LocateProtocol(&mp_guid, NULL, (void **)&mp) != EFI_SUCCESS || !mp ||
	    mp->GetNumberOfProcessors(mp, &total, &enabled) != EFI_SUCCESS) {
		mp = NULL;
		return;
	}
	apic_id[0] = mp_apic_id();
	for (UINTN i = 0; i < total && nr_cpus < MP_MAX_CPUS; i++) {
		PROCESSOR_INFO info;

		if (mp->GetProcessorInfo(mp, i, &info) != EFI_SUCCESS)
			continue;
		if ((info.StatusFlag & PROCESSOR_ENABLED) && !(info.StatusFlag & PROCESSOR_AS_BSP))
			apic_id[nr_cpus++] = (uint32_t)info.ProcessorId;
	}
}

unsigned plat_cpu_count(void)
{
	if (!probed)
		probe();
	return nr_cpus;
}

static void barrier(struct mp_job *job, unsigned step)
{
	uint32_t target = job->n * (step + 1);

	__atomic_add_fetch(&job->arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&job->arrived, __ATOMIC_SEQ_CST) < target && plat_timer_ns() < job->deadline_ns)
		__asm__ volatile("pause");
}

static void run_worker(struct mp_job *job, unsigned me)
{
	for (unsigned s = 0; s < job->steps; s++) {
		job->fn(job->args[me], s);
		barrier(job, s);
	}
	__atomic_store_n(&job->finished[me], 1, __ATOMIC_SEQ_CST);
}

/* Every enabled AP enters here; the ones without a worker go straight back. */
static VOID EFIAPI ap_entry(VOID *arg)
{
	struct mp_job *job = arg;
	uint32_t id = mp_apic_id();

	for (unsigned i = 1; i < job->n; i++)
		if (apic_id[i] == id) {
			struct ap_paging saved;

			paging_ap_enter(&saved);
			run_worker(job, i);
			paging_ap_leave(&saved);
			return;
		}
}

static void wait_for_aps(struct mp_job *job, EFI_EVENT done)
{
	uint64_t grace = job->deadline_ns + EVENT_GRACE_NS;
	bool all;

	do {
		all = true;
		for (unsigned i = 1; i < job->n; i++)
			all = all && job->finished[i];
	} while (!all && plat_timer_ns() < job->deadline_ns);
	/* Firmware must see the APs idle before the next StartupAllAPs; it checks on a timer. */
	while (efi_bs->CheckEvent(done) == EFI_NOT_READY && plat_timer_ns() < grace)
		__asm__ volatile("pause");
}

/* Without MP Services (or when it refuses) the BSP runs every worker itself, still in lock step. */
static void run_here(plat_step_fn fn, void *const args[], unsigned n, unsigned steps, bool came_back[])
{
	for (unsigned s = 0; s < steps; s++)
		for (unsigned i = 0; i < n; i++)
			fn(args[i], s);
	for (unsigned i = 0; i < n; i++)
		came_back[i] = true;
}

void plat_run_steps(plat_step_fn fn, void *const args[], unsigned n, unsigned steps, uint64_t timeout_us,
		    bool came_back[])
{
	static struct mp_job job;
	static UINTN *failed; /* firmware may fill it in after we stop waiting: not on our stack */
	EFI_EVENT done = NULL;
	EFI_STATUS st;

	if (n <= 1 || n > plat_cpu_count() || efi_bs->CreateEvent(0, 0, NULL, NULL, &done) != EFI_SUCCESS) {
		run_here(fn, args, n, steps, came_back);
		return;
	}
	job = (struct mp_job){ fn, args, n, steps, plat_timer_ns() + timeout_us * 1000, 0, { 0 } };
	failed = NULL;
	st = mp->StartupAllAPs(mp, ap_entry, FALSE, done, timeout_us, &job, &failed);
	if (st != EFI_SUCCESS) {
		efi_bs->CloseEvent(done);
		log_printf(LOG_WARN, "cpu.startup_failed", "StartupAllAPs returned 0x%llx; the BSP runs all %u workers",
			   (unsigned long long)st, n);
		run_here(fn, args, n, steps, came_back);
		return;
	}
	run_worker(&job, 0);
	wait_for_aps(&job, done);
	efi_bs->CloseEvent(done);
	for (unsigned i = 0; i < n; i++)
		came_back[i] = job.finished[i];
}
