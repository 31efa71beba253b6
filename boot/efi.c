// SPDX-License-Identifier: MIT
/* The firmware's handles, set once by efi_main, and pool memory: what every boot/ file may use. */
#include "boot/uefi.h"

EFI_HANDLE efi_image;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

void *efi_alloc(size_t size)
{
	void *p;

	return efi_bs->AllocatePool(EfiLoaderData, size, &p) == EFI_SUCCESS ? p : NULL;
}

void efi_free(void *p)
{
	if (p)
		efi_bs->FreePool(p);
}
