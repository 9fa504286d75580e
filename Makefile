# The two commands: `make image` and `make test`. Everything else is a step of those.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/stalix-build
PROFILE ?= profiles/minimal.toml
TARGET  ?= x86_64
# A store outside the clone, so later runs on one machine are fast; nothing
# depends on it being there.
export STALIX_STORE ?= $(HOME)/.cache/stalix/store

.PHONY: all setup build image boot test unit vet bench stress bootstrap desktop clean

all: build

setup:
	sh bootstrap/host-setup.sh

build:
	$(GO) build -o $(BIN) ./cmd/stalix-build

image: setup build
	$(BIN) seed
	$(BIN) fetch $(PROFILE)
	$(BIN) image $(PROFILE) --target $(TARGET)

boot: build
	$(BIN) boot $(PROFILE) --target $(TARGET)

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l cmd internal image bootstrap stages *.go 2>/dev/null); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi

unit:
	$(GO) test -count=1 ./...

# The reproducibility check in CI rebuilds what fits its time limit; the
# kernel and the LLVM runtimes are checked by hand (README).
CHECK_SKIP ?= --skip linux --skip libcxx --skip compiler-rt

# test: what CI checks. The boot tests build the minimal profile from an
# empty store when STALIX_STORE is cold; that is the long part.
# Our e2fsprogs first: the ext4 tests compare its manifest-driven mke2fs
# with staging (STALIX_MKE2FS), and the image tests need it anyway. Our
# ninja too: no host ninja joins a make jobserver (STALIX_NINJA).
# internal/testreport prints each failed test's output and each skipped
# test's reason, and ends with "N passed, N failed, N skipped" (tests, not
# packages); under CI=true a skipped test fails the run. test.json keeps
# the whole `go test -json` stream.
test: setup vet build
	$(BIN) seed
	$(BIN) build e2fsprogs
	$(BIN) build ninja
	$(BIN) check $(PROFILE) --target x86_64 $(CHECK_SKIP)
	set -o pipefail; STALIX_MKE2FS=$$($(BIN) path e2fsprogs)/sbin/mke2fs STALIX_NINJA=$$($(BIN) path ninja)/bin/ninja \
		$(GO) test -count=1 -json -timeout 60m ./... 2>&1 | tee test.json | $(GO) run ./internal/testreport

# bench: each step prints its result against its target; all steps run, and
# bench fails at the end when a target was missed. The last two write the
# profile's images: the first builds what the store lacks, the second is
# timed, all four images from a warm store.
BENCH_OUT ?= out/bench
bench: build
	$(BIN) seed
	$(BIN) build e2fsprogs
	@missed=0; \
	$(GO) test -run '^$$' -bench . -benchtime 1x ./internal/plan/ || missed=1; \
	$(GO) run ./internal/sched/bench -check || missed=1; \
	$(GO) run ./image/bench -check -mke2fs $$($(BIN) path e2fsprogs)/sbin/mke2fs || missed=1; \
	$(BIN) image $(PROFILE) --target $(TARGET) --out $(BENCH_OUT) >/dev/null || exit 1; \
	TIMEFORMAT="writing $(basename $(notdir $(PROFILE)))'s images ($(TARGET)) from a warm store: %R s wall, %U s user, %S s sys"; \
	time $(BIN) image $(PROFILE) --target $(TARGET) --out $(BENCH_OUT) >/dev/null || exit 1; \
	if [ $$missed = 1 ]; then echo "bench: a target was missed (see above)"; exit 1; fi

# bootstrap: the whole chain, hours on 2 cores, so never in CI (CI plans and
# renders it: TestShippedTree). llvm built by the seed-based cc is toolchain2,
# the same recipe built by toolchain2 is toolchain3; compare fails the chain
# unless the two are the same bits; then the profile is built, imaged and booted with
# toolchain3. Each step prints its wall time.
BOOTSTRAP_TOOLCHAIN ?= toolchain3
bootstrap: setup build
	$(BIN) seed
	time $(BIN) build llvm
	time $(BIN) build llvm --toolchain toolchain2
	# toolchain2 and toolchain3 must be the same bits: compare exits 1 otherwise.
	$(BIN) compare llvm --by seed --by toolchain2
	time $(BIN) image $(PROFILE) --target $(TARGET) --toolchain $(BOOTSTRAP_TOOLCHAIN) --out out/$(BOOTSTRAP_TOOLCHAIN)
	$(BIN) boot $(PROFILE) --target $(TARGET) --toolchain $(BOOTSTRAP_TOOLCHAIN) --out out/$(BOOTSTRAP_TOOLCHAIN) --initramfs --check
	$(BIN) boot $(PROFILE) --target $(TARGET) --toolchain $(BOOTSTRAP_TOOLCHAIN) --out out/$(BOOTSTRAP_TOOLCHAIN) --disk --check

# desktop: the Wayland desktop (profiles/desktop.toml), built, imaged and checked on its screen,
# by hand: its stack (python3 and meson, wayland, wlroots, fontconfig, foot...) and its kernel
# take about an hour on 2 cores, past CI's limit, so CI only plans and renders it
# (TestShippedTree, TestDesktopKernel). The check leaves out/desktop-$(TARGET).png.
DESKTOP ?= profiles/desktop.toml
desktop: setup build
	$(BIN) seed
	$(BIN) fetch $(DESKTOP) --target $(TARGET)
	time $(BIN) image $(DESKTOP) --target $(TARGET)
	time $(BIN) boot $(DESKTOP) --target $(TARGET) --screen --check

# stress: kill -9 a multi-node build at 100 random points, checking the
# store after each (the unit test does 20).
stress:
	STALIX_CRASH_ROUNDS=100 $(GO) test -count=1 -run TestKill9 -v ./cmd/stalix-build

clean:
	rm -rf bin out test.json
