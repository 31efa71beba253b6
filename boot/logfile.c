// SPDX-License-Identifier: MIT
/*
 * Log files on the volume cxlval was loaded from (the USB stick or ESP), so a
 * vendor gets the log back even when nobody watched the console. Writes
 * collect in a buffer and go to the file system in LOGFILE_BUF_BYTES pieces:
 * one FAT write and metadata flush per event cost ~5 ms under QEMU. What is
 * buffered reaches the medium at logfile_flush, the log's checkpoint
 * (core/log.h), and at close.
 */
#include "boot/uefi.h"

#include <string.h>

#define MAX_LOGFILES 4
#define LOGFILE_BUF_BYTES (64U << 10)

struct logfile {
	EFI_FILE_PROTOCOL *file;
	bool failed;
	size_t used;
	char *buf; /* LOGFILE_BUF_BYTES from the pool; NULL: every write goes straight to the file */
};

static struct logfile files[MAX_LOGFILES];

static const UINT64 rw_create = EFI_FILE_MODE_CREATE | EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE;
static EFI_FILE_PROTOCOL *base_dir;
static CHAR16 run_name[5];

/* \cxlval on the volume cxlval was loaded from. */
static EFI_FILE_PROTOCOL *open_base_dir(void)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_FILE_PROTOCOL *root, *dir;

	if (base_dir)
		return base_dir;
	if (efi_bs->HandleProtocol(efi_image, &li_guid, (void **)&li) != EFI_SUCCESS ||
	    efi_bs->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&sfs) != EFI_SUCCESS ||
	    sfs->OpenVolume(sfs, &root) != EFI_SUCCESS)
		return NULL;
	if (root->Open(root, &dir, L"cxlval", rw_create, EFI_FILE_DIRECTORY) != EFI_SUCCESS)
		dir = NULL;
	root->Close(root);
	base_dir = dir;
	return dir;
}

/*
 * \cxlval\runs\NNNN: the first number not used yet, so no run ever
 * overwrites an earlier one's results.
 */
static EFI_FILE_PROTOCOL *open_log_dir(void)
{
	static EFI_FILE_PROTOCOL *run_dir;
	EFI_FILE_PROTOCOL *base = open_base_dir(), *runs, *d;

	if (run_dir || !base)
		return run_dir;
	if (base->Open(base, &runs, L"runs", rw_create, EFI_FILE_DIRECTORY) != EFI_SUCCESS)
		return NULL;
	for (unsigned n = 1; n <= 9999 && !run_dir; n++) {
		CHAR16 name[5] = { (CHAR16)(L'0' + n / 1000), (CHAR16)(L'0' + n / 100 % 10), (CHAR16)(L'0' + n / 10 % 10),
				   (CHAR16)(L'0' + n % 10), 0 };

		if (runs->Open(runs, &d, name, EFI_FILE_MODE_READ, 0) == EFI_SUCCESS) {
			d->Close(d);
			continue;
		}
		if (runs->Open(runs, &d, name, rw_create, EFI_FILE_DIRECTORY) == EFI_SUCCESS) {
			run_dir = d;
			memcpy(run_name, name, sizeof(run_name));
		}
	}
	runs->Close(runs);
	return run_dir;
}

const CHAR16 *logfile_run_name(void)
{
	return run_name[0] ? run_name : NULL;
}

struct logfile *logfile_create(const CHAR16 *name)
{
	const UINT64 mode = EFI_FILE_MODE_CREATE | EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE;
	EFI_FILE_PROTOCOL *dir = open_log_dir(), *f;
	struct logfile *lf = NULL;

	for (int i = 0; i < MAX_LOGFILES; i++)
		if (!files[i].file)
			lf = &files[i];
	if (!dir || !lf)
		return NULL;
	/* Start empty: delete what an earlier run left, then create afresh. */
	if (dir->Open(dir, &f, (CHAR16 *)name, mode, 0) == EFI_SUCCESS)
		f->Delete(f);
	if (dir->Open(dir, &f, (CHAR16 *)name, mode, 0) != EFI_SUCCESS)
		return NULL;
	lf->file = f;
	lf->failed = false;
	lf->used = 0;
	lf->buf = efi_alloc(LOGFILE_BUF_BYTES);
	return lf;
}

/* The buffer to the file system (not yet to the medium: that is Flush). */
static void drain(struct logfile *lf)
{
	UINTN n = lf->used;

	if (n && !lf->failed && (lf->file->Write(lf->file, &n, lf->buf) != EFI_SUCCESS || n != lf->used))
		lf->failed = true; /* a full or read-only stick must not stop the run */
	lf->used = 0;
}

/* Whole lines go to the file system whole: what reaches the medium never ends in half a line. */
void logfile_write(void *ctx, const char *text, size_t len)
{
	struct logfile *lf = ctx;
	UINTN n = len;

	if (!lf || !lf->file || lf->failed)
		return;
	if (lf->used + len > LOGFILE_BUF_BYTES)
		drain(lf);
	if (lf->buf && len <= LOGFILE_BUF_BYTES) {
		memcpy(lf->buf + lf->used, text, len);
		lf->used += len;
	} else if (!lf->failed && (lf->file->Write(lf->file, &n, (void *)text) != EFI_SUCCESS || n != len)) {
		lf->failed = true;
	}
}

void logfile_flush(void *ctx)
{
	struct logfile *lf = ctx;

	if (!lf || !lf->file || lf->failed)
		return;
	drain(lf);
	if (!lf->failed)
		lf->file->Flush(lf->file);
}

void logfile_close(struct logfile *lf)
{
	if (!lf || !lf->file)
		return;
	logfile_flush(lf);
	lf->file->Close(lf->file);
	efi_free(lf->buf);
	lf->buf = NULL;
	lf->file = NULL;
}

long logdir_read(const CHAR16 *name, char *buf, size_t cap)
{
	EFI_FILE_PROTOCOL *dir = open_base_dir(), *f;
	UINTN n = cap;

	if (!dir || dir->Open(dir, &f, (CHAR16 *)name, EFI_FILE_MODE_READ, 0) != EFI_SUCCESS)
		return -1;
	if (f->Read(f, &n, buf) != EFI_SUCCESS)
		n = 0;
	f->Close(f);
	return (long)n;
}
