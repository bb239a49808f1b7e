# The two commands of the README's quick start:
#   make run    install what is missing, build, start the web app (gutskin serve)
#   make demo   build, run the demo scenario and plot it
#   make test   install what is missing, build, run every test, then again
#               under AddressSanitizer + UndefinedBehaviorSanitizer
BUILD ?= build
BUILD_SAN ?= build-sanitize
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OUT ?= out

.PHONY: all deps build run demo test test-fast test-sanitize bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# the web app on the default journal, in the foreground until Ctrl-C; it
# prints the address and a one-time login link (stdout) and the token file
run: build
	@echo "make run: starting the web app on the default journal; open the login link below (Ctrl-C stops it)" >&2
	$(BUILD)/gutskin serve $(SERVE_ARGS)

# the demo scenario, simulated and plotted to $(OUT)/
demo: build
	@mkdir -p $(OUT)
	$(BUILD)/gutskin simulate data/scenarios/seed-story.yaml --out $(OUT)/seed-story.csv --plot $(OUT)/seed-story.png

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DGS_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)
	cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  GS_SANITIZED=1 ctest --output-on-failure -j $(JOBS)

test: test-fast test-sanitize

bench: build
	bench/run.sh

# the trigger scan (issue 4) against the same method in R (bench/stats/)
.PHONY: bench-stats
bench-stats: build
	BUILD=$(BUILD) bench/stats/run.sh

# the web server (issue 5) against nginx serving the same bytes (bench/server/)
.PHONY: bench-server
bench-server: build
	bench/server/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(OUT)
