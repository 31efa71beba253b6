# fwfault: the firmware fault injector used by the integration tests (tests/fwfault/fwfault.c).
FWFAULT_EFI := $(BUILD)/fwfault.efi
FWFAULT_OBJS := $(EFI_DIR)/tests/fwfault/fwfault.o $(EFI_DIR)/lib/libc/string.o $(EFI_DIR)/lib/fmt.o

$(BUILD)/fwfault.so: $(FWFAULT_OBJS) linker.ld
	$(Q)$(EFI_LINK)

$(FWFAULT_EFI): $(BUILD)/fwfault.so
	$(Q)$(EFI_OBJCOPY)
	@echo "built $@"
