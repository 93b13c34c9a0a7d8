# SPDX-License-Identifier: GPL-2.0
#
# vfio-intr: an overlay on Linux 7.3.  See README.md.
#
#   make demo      build, boot, and show the interrupt demonstration
#   make check     build, boot, run KUnit + kselftests, fail on any failure or splat
#   make bench     our kernel against upstream 7.3, in guest instructions (docs/benchmarks.md)
#   make profile   the bench's SET_IRQS and interrupt paths by function (a QEMU plugin)
#   make profile-check  one guest test on the check (debug) kernel, by function
#                  (PROFILE_TEST='command as in tests.list' PROFILE_DEV=edu|igb|none)
#
# Useful variables:
#   KDIR=/path/to/linux-7.3   use this pristine tree instead of Debian's linux-source-7.3
#   FAULT=warn|kasan|kmemleak make the guest provoke a splat or a leak (proves the detector works)
#   VM_TIMEOUT=seconds        bound on one VM run (default 2700)
#   TESTS=regex               run only the guest tests whose name matches
#   JOBS=n                    parallel make jobs for the kernel (default: nproc)

SHELL       := /bin/bash
TOP         := $(abspath .)
BUILD       ?= $(TOP)/build
CACHE       ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/vfio-intr
JOBS        ?= $(shell nproc)
VM_TIMEOUT  ?= 2700
FAULT       ?=
TESTS       ?=
# A regex is passed as typed: 'a$|b' must not lose make's automatic $|.
override TESTS := $(value TESTS)
CONFIGS     ?= $(sort $(wildcard configs/*.config))
export TOP BUILD CACHE KDIR JOBS VM_TIMEOUT FAULT TESTS CONFIGS

.PHONY: all deps source tree kernel selftests initramfs check demo bench profile profile-check series lint \
	clean distclean

all: kernel selftests

# Every step is a cheap no-op when its work is already done, so every target
# simply runs the chain: deps -> source -> tree -> ...
deps:
	@scripts/deps.sh

source: deps
	@scripts/source.sh

# The build tree is regenerated on every run, touching only files whose content changed.
tree: source
	@scripts/tree.sh

kernel: tree
	@scripts/kernel.sh

selftests: tree
	@scripts/selftests.sh

initramfs: kernel selftests
	@scripts/initramfs.sh

check: initramfs
	@scripts/vm.sh check

demo: initramfs
	@scripts/vm.sh demo

# Builds its own two kernels (bench configuration) in build/bench.
bench: tree
	@scripts/bench.sh

# Uses bench's kernel (built if missing); QEMU's plugin header is downloaded.
profile: tree
	@scripts/profile.sh

# The make check kernel and initramfs, with one test of the caller's choice.
profile-check: initramfs
	@scripts/profile.sh check

series: source
	@scripts/series.sh

lint: kernel
	@scripts/lint.sh
	@scripts/sparse.sh

clean:
	rm -rf $(BUILD)/kobj $(BUILD)/selftests $(BUILD)/initramfs* $(BUILD)/series

distclean:
	rm -rf $(BUILD)
