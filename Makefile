# cxlval — see README.md. Two commands do everything: `make run` and `make test`.
#
# Sources in lib/ acpi/ mm/ cxl/ touch/ core/ are pure C and build twice: into the
# UEFI image and into a host library for unit tests (cmocka, ASan+UBSan).
# boot/ and lib/libc/ (the <string.h> shim) are UEFI-only. tests/sim/ is the
# host-side platform (simulated fabric). tools/check-layers.sh keeps includes pointing down.

SHELL := /bin/bash
BUILD ?= build
EFI_DIR := $(BUILD)/efi
HOST_DIR := $(BUILD)/host
PY ?= /usr/bin/python3

PURE_SRCS := $(sort $(wildcard lib/*.c acpi/*.c mm/*.c cxl/*.c touch/*.c core/*.c))
BOOT_SRCS := $(sort $(wildcard boot/*.c lib/libc/*.c))
BOOT_ASMS := $(sort $(wildcard boot/*.asm))
SIM_SRCS := $(sort $(wildcard tests/sim/*.c))
SUPPORT_SRCS := $(sort $(wildcard tests/unit/support/*.c))
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))
HEADERS := $(wildcard */*.h tests/*/*.h tests/unit/support/*.h lib/libc/include/*.h)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# ---- UEFI image -----------------------------------------------------------
GNUEFI_INC := /usr/include/efi
EFI_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -nostdinc -isystem lib/libc/include \
	-isystem $(shell gcc -print-file-name=include) \
	-isystem $(GNUEFI_INC) -isystem $(GNUEFI_INC)/x86_64 \
	-ffreestanding -fno-stack-protector -fno-stack-check -fpic -fshort-wchar \
	-mno-red-zone -maccumulate-outgoing-args -fno-builtin-printf \
	-DGNU_EFI_USE_MS_ABI -DCXLVAL_UEFI $(EXTRA_EFI_CFLAGS)
EFI_LDFLAGS := -nostdlib -znocombreloc -T linker.ld -shared -Bsymbolic --no-undefined
EFI_OBJS := $(patsubst %.c,$(EFI_DIR)/%.o,$(PURE_SRCS) $(BOOT_SRCS)) \
	$(patsubst %.asm,$(EFI_DIR)/%.o,$(BOOT_ASMS))
CXLVAL_EFI := $(BUILD)/cxlval.efi

# ---- host ------------------------------------------------------------------
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -Itests $(SAN) -DCXLVAL_HOST $(EXTRA_HOST_CFLAGS)
HOST_LIB := $(HOST_DIR)/libcxlval.a
SIM_LIB := $(HOST_DIR)/libsim.a
SUPPORT_LIB := $(HOST_DIR)/libsupport.a
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOST_DIR)/tests/%,$(UNIT_TESTS))

.PHONY: all efi deps run test unit integration clean image bench bench-host fuzz fuzz-short test-long help layers
all: efi

help:
	@echo "make run    - install what is missing, build, boot the default CXL topology in QEMU, print the log"
	@echo "make test   - layer check, host unit tests (sanitizers), short fuzzing, then QEMU integration tests"
	@echo "make layers - every include and call points down the house (tools/check-layers.py)"
	@echo "make efi    - build $(CXLVAL_EFI) only"
	@echo "make image  - $(BUILD)/cxlval.img: GPT + FAT32 ESP for a USB stick"
	@echo "make unit   - host unit tests only;  make integration - QEMU tests only"
	@echo "make bench  - touch engine vs raw fill in QEMU, quick vs full, host benchmarks: one table"

deps:
	@tools/install-deps.sh

efi: $(CXLVAL_EFI)

# V=1 shows full command lines.
Q := $(if $(V),,@)

# Link EFI objects into an ELF shared object, then objcopy it into a PE32+ EFI application.
EFI_LINK = ld $(EFI_LDFLAGS) /usr/lib/crt0-efi-x86_64.o $(filter %.o,$^) /usr/lib/libgnuefi.a -o $@
EFI_OBJCOPY = objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

# Order-only on deps: with -j, nothing compiles before the toolchain is installed.
$(EFI_DIR)/%.o: %.c $(HEADERS) Makefile | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [efi]  $<")
	$(Q)gcc $(EFI_CFLAGS) -c $< -o $@

$(EFI_DIR)/%.o: %.asm Makefile | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS [efi]  $<")
	$(Q)nasm -f elf64 -g -o $@ $<

$(BUILD)/cxlval.so: $(EFI_OBJS) linker.ld
	$(Q)$(EFI_LINK)

$(CXLVAL_EFI): $(BUILD)/cxlval.so
	$(Q)$(EFI_OBJCOPY)
	@echo "built $@ ($$(stat -c %s $@) bytes)"

include tests/fwfault/fwfault.mk

$(HOST_DIR)/%.o: %.c $(HEADERS) Makefile | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [host] $<")
	$(Q)gcc $(HOST_CFLAGS) -c $< -o $@

$(HOST_LIB): $(patsubst %.c,$(HOST_DIR)/%.o,$(PURE_SRCS))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(SIM_LIB): $(patsubst %.c,$(HOST_DIR)/%.o,$(SIM_SRCS))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(SUPPORT_LIB): $(patsubst %.c,$(HOST_DIR)/%.o,$(SUPPORT_SRCS))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^

# Support and sim come first so their objects can satisfy the library's references.
$(HOST_DIR)/tests/%: $(HOST_DIR)/tests/unit/%.o $(SUPPORT_LIB) $(SIM_LIB) $(HOST_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD [host] $@")
	$(Q)gcc $(SAN) -o $@ $< -Wl,--start-group $(SUPPORT_LIB) $(SIM_LIB) $(HOST_LIB) -Wl,--end-group -lcmocka

unit: deps $(UNIT_BINS)
	@tools/run-unit-tests.sh $(UNIT_BINS)

# ---- benchmarks ------------------------------------------------------------
# Host: the pure logic at -O2 without sanitizers. QEMU: tools/bench.py boots the
# default and the big topology with a bench config and prints one table.
BENCH_DIR := $(BUILD)/bench
BENCH_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -Itests -DCXLVAL_HOST

$(BENCH_DIR)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(Q)gcc $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_DIR)/bench_host: $(BENCH_DIR)/tests/bench/bench_host.o $(patsubst %.c,$(BENCH_DIR)/%.o,$(PURE_SRCS) $(SIM_SRCS) tests/unit/support/ref_interleave.c)
	$(Q)gcc -o $@ $^

# The engine's own loops (touch/lines.h) over host DRAM, 1 thread and every core.
$(BENCH_DIR)/bench_dram: $(BENCH_DIR)/tests/bench/bench_dram.o
	$(Q)gcc -pthread -o $@ $^

bench-host: $(BENCH_DIR)/bench_host $(BENCH_DIR)/bench_dram
	@$(BENCH_DIR)/bench_host
	@$(BENCH_DIR)/bench_dram

bench: deps $(CXLVAL_EFI) $(BENCH_DIR)/bench_host $(BENCH_DIR)/bench_dram
	@$(PY) tools/bench.py --host-bench $(BENCH_DIR)/bench_host --dram-bench $(BENCH_DIR)/bench_dram $(BENCH_ARGS)

# ---- fuzzing (clang libFuzzer, ASan+UBSan) --------------------------------
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -O1 -g -I. -Itests -DCXLVAL_HOST $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
FUZZ_LIB := $(FUZZ_DIR)/libcxlval.a
FUZZ_SUPPORT_LIB := $(FUZZ_DIR)/libsupport.a
FUZZ_SECONDS ?= 3600
FUZZ_SHORT_SECONDS ?= 8
.SECONDARY:

$(FUZZ_DIR)/%.o: %.c $(HEADERS) Makefile | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [fuzz] $<")
	$(Q)clang $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(patsubst %.c,$(FUZZ_DIR)/%.o,$(PURE_SRCS))
	@rm -f $@; ar rcs $@ $^
$(FUZZ_SUPPORT_LIB): $(patsubst %.c,$(FUZZ_DIR)/%.o,$(SUPPORT_SRCS))
	@rm -f $@; ar rcs $@ $^

# Test support (e.g. the planner's invariants) comes first so its references resolve in the library.
# No simulator: a fuzzer that needs the platform seam defines it itself, once.
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/tests/fuzz/fuzz_%.o $(FUZZ_SUPPORT_LIB) $(FUZZ_LIB)
	$(Q)clang $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^

# A bounded run from the committed seeds, in a scratch copy of the corpus; any finding fails.
fuzz-short: deps $(FUZZERS)
	@tools/run-fuzzers.sh $(FUZZ_SHORT_SECONDS) $(FUZZ_DIR) $(FUZZERS)

# Long runs: make fuzz FUZZ_SECONDS=14400 (per fuzzer). New crashes land in $(FUZZ_DIR)/crashes-NAME.
fuzz: deps $(FUZZERS)
	@tools/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZERS)

# The same image with test hooks (fault_test), for the exception test only.
.PHONY: testhooks-efi
testhooks-efi:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/testhooks EXTRA_EFI_CFLAGS=-DCXLVAL_TEST_HOOKS efi

# conftest.py refuses QEMU < 10 (the oracle: uncommit, 4 decoders, volatile, 3/6-way).
integration: deps $(CXLVAL_EFI) $(FWFAULT_EFI) testhooks-efi image
	@echo "integration tests on: $$(qemu-system-x86_64 --version | head -1)"
	$(PY) -m pytest -q -ra -n 2 tests/integration $(PYTEST_ARGS)

# Every #include and every call (from the UEFI objects' symbols) points down: lib <- {acpi, mm} <- cxl <- touch <- core <- boot.
layers: deps $(EFI_OBJS)
	@$(PY) tools/check-layers.py --objects $(EFI_DIR)

test: deps
	@start=$$(date +%s); $(MAKE) --no-print-directory layers && $(MAKE) --no-print-directory unit && \
	  $(MAKE) --no-print-directory fuzz-short && $(MAKE) --no-print-directory integration; rc=$$?; \
	  echo "make test: $$(( $$(date +%s) - start )) s in all (exit $$rc)"; exit $$rc

image: deps $(CXLVAL_EFI)
	@$(PY) tools/make_image.py --efi $(CXLVAL_EFI) --out $(BUILD)/cxlval.img

run: deps
	@$(MAKE) --no-print-directory efi
	@$(PY) tools/qemu_run.py --topology default $(RUN_ARGS)

clean:
	rm -rf $(BUILD)
