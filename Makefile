# SPDX-License-Identifier: GPL-2.0
# kdrv: build, test and demo every driver; `make help` lists the targets.

TOP := $(abspath .)
BUILD := $(TOP)/build
KDIR ?= /lib/modules/$(shell uname -r)/build

# The cores built in user space, for the unit tests and the fuzzer alike.
USER_INCLUDES := -I$(TOP)/include -I$(TOP)/os/user/include -I$(TOP)/os/user -I$(TOP)/drivers
USER_HDRS := $(wildcard include/kdrv/*.h os/user/*.h os/user/include/*.h drivers/*/*.h)
# Handlers take the arguments their role needs whether they use them or not, as in the kernel.
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wno-unused-parameter -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all $(USER_INCLUDES)

# Every driver, the kit's portable half and the user-space layer: what the tests drive.
CORE_SRCS := $(wildcard drivers/*/*.c) $(wildcard lib/*.c) $(wildcard os/user/*.c)
UNIT_SRCS := $(CORE_SRCS) $(wildcard tests/unit/*.c)

.PHONY: all help linux unit fuzz guest kdrvctl check demo windows sign sign-linux clean format new stress \
	dkms-tarball deb bench

all: linux kdrvctl

help:
	@echo 'make demo     install what is needed, boot Linux 6.12 in QEMU and show the drivers'
	@echo 'make check    every suite: host unit tests, each kernel in QEMU, Windows under Wine'
	@echo 'make check KERNELS="7.2 5.10"  the same, the kernel suites on those kernels only'
	@echo 'make linux    build the modules against KDIR (default: the running kernel)'
	@echo 'make windows  cross-build the drivers as .sys and kdrvctl.exe with mingw-w64'
	@echo 'make sign     test-sign the .sys files with osslsigncode (after make windows)'
	@echo 'make kdrvctl  build the CLI (static) into build/bin/kdrvctl'
	@echo 'make unit     build and run the host unit tests (ASan, UBSan)'
	@echo 'make fuzz     a bounded libFuzzer run of the portable cores'
	@echo 'make sign-linux  sign the release modules for KDIR'
	@echo 'make dkms-tarball  the module sources and dkms.conf in build/dkms/kdrv-VERSION.tar.gz'
	@echo 'make deb      the kdrv-dkms Debian package in build/deb/ (dpkg-buildpackage, dh-dkms)'
	@echo 'make format   apply .clang-format to every C file'
	@echo 'make new NAME=foo  start a driver kdrv_foo in drivers/foo/, with its tests'
	@echo 'make stress [DURATION=600] [SEED=N] [KERNEL=6.12] [CYCLES=N]  soak one kernel in QEMU'
	@echo 'make bench [KERNELS="6.1 6.12"] [KVM=1]  kdrv against urandom, getrandom(), pipe(2)'
	@echo '              and BCryptGenRandom, per kernel and under Wine, into build/bench/'

$(BUILD)/unit/kdrv-unit: $(UNIT_SRCS) $(USER_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(UNIT_SRCS) -lm -lpthread

unit: $(BUILD)/unit/kdrv-unit
	$<

FUZZ_SRCS := $(CORE_SRCS) tests/fuzz/fuzz_cores.c
$(BUILD)/fuzz/kdrv-fuzz: $(FUZZ_SRCS) $(USER_HDRS)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
		-fsanitize=fuzzer,address,undefined $(USER_INCLUDES) -o $@ $(FUZZ_SRCS) -lpthread

fuzz:
	@scripts/fuzz.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

# Every folder of drivers/ is a driver: kdrvctl status knows them from the tree.
DRIVERS := $(notdir $(wildcard drivers/*))
empty :=
comma := ,
KDRV_DRIVER_NAMES := $(subst $(empty) $(empty),$(comma),$(patsubst %,"%",$(DRIVERS)))
KDRVCTL_SRCS := tools/kdrvctl/kdrvctl.c tools/kdrvctl/doctor.c $(wildcard tools/kdrvctl/*_linux.c)
$(BUILD)/bin/kdrvctl: $(KDRVCTL_SRCS) $(wildcard tools/kdrvctl/*.h) include/kdrv/abi.h \
		$(wildcard drivers/*/)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -I$(TOP)/include \
		-DKDRV_DRIVER_NAMES='$(KDRV_DRIVER_NAMES)' -o $@ $(KDRVCTL_SRCS)

kdrvctl: $(BUILD)/bin/kdrvctl

linux:
	$(MAKE) -C os/linux KDIR=$(KDIR) W=$(W)

# Every tests/vm/prog/<name>_test.c becomes kdrv-<name>_test in the guest.
GUEST_PROGS := $(basename $(notdir $(wildcard tests/vm/prog/*_test.c)))
GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -static \
	-I$(TOP)/include

$(BUILD)/guest/bin/kdrv-%: tests/vm/prog/%.c tests/vm/prog/check.h include/kdrv/abi.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -o $@ $< -lm -lpthread

$(BUILD)/guest/bin/kdrvctl: $(BUILD)/bin/kdrvctl
	@mkdir -p $(dir $@)
	cp $< $@

guest: $(addprefix $(BUILD)/guest/bin/kdrv-,$(GUEST_PROGS)) $(BUILD)/guest/bin/kdrvctl

windows:
	$(MAKE) -C os/windows

sign: windows
	scripts/windows-sign.sh

check:
	@scripts/check.sh $(KERNELS)

new:
	@scripts/new-driver.sh "$(NAME)"

stress:
	@scripts/stress.sh

demo:
	@scripts/demo.sh

bench:
	@KERNELS="$(KERNELS)" KVM="$(KVM)" scripts/bench.sh

sign-linux: linux
	scripts/sign-linux.sh $(KDIR)

dkms-tarball:
	@scripts/dkms-tarball.sh

deb:
	@scripts/deb.sh
