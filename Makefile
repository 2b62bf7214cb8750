# Thin wrappers over CMake. `make run` and `make test` work on a fresh Debian 12 machine: they
# install what is missing first (scripts/install-deps.sh), then build incrementally in build/.
BUILD_DIR ?= build
SANITIZE_DIR ?= build-asan
TSAN_DIR ?= build-tsan
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 30
JOBS ?= $(shell nproc)
CMAKE_GENERATOR ?= Ninja
CTEST_ARGS ?=

.PHONY: deps e2e-deps build test test-faults run test-sanitize test-tsan test-fuzz bench bench-e2e clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=Release

# The official OpenTelemetry JS SDK the end-to-end tests drive, pinned by the lockfile.
e2e-deps: tests/e2e/node_modules/.package-lock.json
tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build e2e-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Only the fault-injection suite (tests/faults): kill -9, disk full, backend and token server
# down, slow backend, half-open connections, SIGTERM under load.
test-faults: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L faults $(CTEST_ARGS)

run: build
	$(BUILD_DIR)/cmd/otlpd/otlpd

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps e2e-deps
	cmake -S . -B $(SANITIZE_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DOTLPD_SANITIZE=address -DOTLPD_BUILD_BENCH=OFF
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
	  ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The whole suite under ThreadSanitizer. Debian's gRPC and Abseil are not instrumented: reports
# inside them are suppressed (tests/sanitizers/tsan.supp says why).
test-tsan: deps e2e-deps
	cmake -S . -B $(TSAN_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DOTLPD_SANITIZE=thread -DOTLPD_BUILD_BENCH=OFF
	cmake --build $(TSAN_DIR) -j $(JOBS)
	cd $(TSAN_DIR) && TSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/tsan.supp \
	  ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Every libFuzzer target (clang), FUZZ_SECONDS each over its corpus; fails on any finding.
# `make test-fuzz FUZZ_SECONDS=600` for a long run. See tests/fuzz/README.md.
test-fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G "$(CMAKE_GENERATOR)" \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOTLPD_BUILD_FUZZ=ON -DOTLPD_BUILD_TESTS=OFF \
	  -DOTLPD_BUILD_BENCH=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target otlpd_fuzzers
	bash tests/fuzz/run_all.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

bench: build
	@for b in $(BUILD_DIR)/bench/*/bench_*; do [ -x "$$b" ] && "$$b"; done

# The end-to-end benchmark (bench/e2e/run_e2e.sh): otlpd between otlpgen and a counting sink,
# spans per CPU-second, RSS and latency; writes bench-e2e.json. BENCH_E2E_ARGS passes options,
# e.g. BENCH_E2E_ARGS="--peer /path/to/otelcol --peer-config bench/e2e/reference.yaml".
BENCH_E2E_ARGS ?=
bench-e2e: build
	bash bench/e2e/run_e2e.sh --build $(BUILD_DIR) $(BENCH_E2E_ARGS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(TSAN_DIR) $(FUZZ_DIR)

# The container image, built and tested end to end with podman: fake backend on loopback, one
# OTLP/JSON span through the image, clean exit on SIGTERM (scripts/test-image.sh).
.PHONY: test-image lint-deploy
test-image:
	bash scripts/test-image.sh

# Checks of deploy/ that need tools `make test` does not install: yamllint, the kustomize render,
# Kubernetes schemas, the systemd unit, shellcheck (deploy/lint/lint.sh).
lint-deploy:
	bash deploy/lint/lint.sh
