# fwfault: the firmware fault injector used by the integration tests (tests/fwfault/fwfault.c).
FWFAULT_EFI := $(BUILD)/fwfault.efi
FWFAULT_OBJS := $(EFI_DIR)/tests/fwfault/fwfault.o $(EFI_DIR)/boot/libc.o $(EFI_DIR)/core/fmt.o

$(BUILD)/fwfault.so: $(FWFAULT_OBJS) linker.ld
	$(Q)ld $(EFI_LDFLAGS) /usr/lib/crt0-efi-x86_64.o $(FWFAULT_OBJS) /usr/lib/libgnuefi.a -o $@

$(FWFAULT_EFI): $(BUILD)/fwfault.so
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@
	@echo "built $@"
