# Vigie - one Makefile.
#   make            build build/vigie
#   make check      install what is missing, then unit tests and fuzz
#                   replays under ASan+UBSan, rule examples, and the
#                   integration scenarios in the network-namespace lab
#   make demo       install, build, lab up, scan, reports, lab down
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make check-fuzz each libFuzzer target CHECK_FUZZ_SECONDS (5, or less)
#   make lint       cppcheck and clang-tidy, zero warnings
#   make SAN=1 ...  sanitizer build (in build-san/)
CC	?= cc
CFLAGS	?= -O2 -g
PKGS	 = libevent libevent_openssl libevent_pthreads openssl libpcap \
	   libpcre2-8 yaml-0.1 jansson sqlite3 libmaxminddb
WARN	 = -Wall -Wextra -Wshadow -Wpointer-arith -Wcast-qual \
	   -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	   -Wformat=2 -Wformat-security -Wwrite-strings -Wvla \
	   -Wimplicit-fallthrough -Wundef
HARDEN	 = -fstack-protector-strong -fPIE
VERSION	 = 0.1.0
DEFS	 = -DVIGIE_VERSION='"$(VERSION)"' \
	   -DVIGIE_RULES_DIR='"$(CURDIR)/fingerprints/rules"'
XCFLAGS	 = -std=c11 -D_GNU_SOURCE -Iinclude -I. $(WARN) $(HARDEN) $(DEFS) \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
XLDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lnet -lpthread -lm

WERROR	?= 1
ifeq ($(WERROR),1)
XCFLAGS	+= -Werror
endif
ifeq ($(SAN),1)
B	?= build-san
XCFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
XLDFLAGS += -fsanitize=address,undefined
else
B	?= build
XCFLAGS	+= -D_FORTIFY_SOURCE=3
endif

SRCS	 = $(wildcard scanner/*.c probes/*.c fingerprints/*.c reports/*.c)
OBJS	 = $(SRCS:%.c=$(B)/%.o)
LIBOBJS	 = $(filter-out $(B)/scanner/main.o,$(OBJS))

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNITS	 = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
HARNESS	 = $(B)/tests/unit/harness.o
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
REPLAYS	 = $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/tests/fuzz/replay_%)
FUZZERS	 = $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
# Fuzzing time per target: `make fuzz` (a campaign), 60 s; `make
# check-fuzz` (a smoke run in `make check`), 5 s, less when there are more
# than 20 targets (at least 2 s), so that the whole stays under 2 minutes.
FUZZ_SECONDS ?= 60
CHECK_FUZZ_SECONDS ?= $(shell n=$(words $(FUZZ_SRCS)); \
	s=$$((100 / (n > 0 ? n : 1))); [ $$s -gt 5 ] && s=5; \
	[ $$s -lt 2 ] && s=2; echo $$s)
FUZZ_LIB = build-fuzz-lib/libvigie.a
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -I. -g -O1 \
	   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

.PHONY: all deps check check-unit check-fuzz-replay check-rules \
	check-integration check-format check-headers demo fuzz clean lint \
	check-fuzz FORCE
all: $(B)/vigie

deps:
	@./scripts/install-deps

$(B)/libvigie.a: $(LIBOBJS)
	$(AR) rcs $@ $^

$(B)/vigie: $(B)/scanner/main.o $(B)/libvigie.a
	$(CC) $(XCFLAGS) $(XLDFLAGS) -o $@ $^ $(LIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -MMD -MP -c $< -o $@

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(HARNESS) $(B)/libvigie.a
	$(CC) $(XCFLAGS) $(XLDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(B)/tests/fuzz/replay_%: $(B)/tests/fuzz/%.o $(B)/tests/fuzz/replay.o \
    $(B)/libvigie.a
	$(CC) $(XCFLAGS) $(XLDFLAGS) -o $@ $^ $(LIBS)

-include $(OBJS:.o=.d) $(UNITS:=.d) $(HARNESS:.o=.d)

# The whole suite.  Unit tests and fuzz replays run under ASan+UBSan.
check: deps
	$(MAKE) SAN=1 check-unit check-fuzz-replay
	$(MAKE) check-fuzz
	$(MAKE) all check-rules check-integration

check-unit: $(UNITS)
	@fail=0; for t in $(UNITS); do \
		echo "== $$t"; \
		(cd tests/unit && ../../$$t) || fail=1; \
	done; exit $$fail

check-fuzz-replay: $(REPLAYS)
	@fail=0; for r in $(REPLAYS); do \
		n=$${r##*/replay_fuzz_}; \
		$$r tests/fuzz/corpus/$$n || fail=1; \
	done; exit $$fail

check-rules: $(B)/vigie
	$(B)/vigie rules test

check-integration: $(B)/vigie
	tests/integration/run-all

check-headers:
	@for h in include/vigie/*.h; do \
		echo "#include \"$${h#include/}\"" | \
		$(CC) $(XCFLAGS) -x c -fsyntax-only - || exit 1; \
	done

check-format:
	@clang-format --dry-run -Werror $(SRCS) $(wildcard include/vigie/*.h)

# Static analysis of the project's code (scanner probes fingerprints
# reports), zero warnings.  cppcheck: warning, portability, performance
# (not style: its "condition always true" misreads our bounded parsers,
# and KNF declares at the top of a block, against variableScope).
# clang-tidy: bugprone-*, cert-*, clang-analyzer-*, less what flags this
# codebase's deliberate idioms, or is wrong in clang-tidy 14:
#   clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling
#	every snprintf and memcpy, for Annex K functions glibc lacks;
#   cert-err33-c	snprintf's truncation and fprintf's result, ignored
#			on purpose (bounded outputs, diagnostics);
#   cert-err34-c	sscanf on /proc and on our own timestamps, where the
#			conversion count is checked;
#   clang-analyzer-optin.performance.Padding	struct layout advice;
#   bugprone-sizeof-expression	calloc(n, sizeof(*v)) for an array of
#			pointers (cppcheck's pointerSize checks the misuse);
#   bugprone-easily-swappable-parameters, bugprone-branch-clone,
#   bugprone-implicit-widening-of-multiplication-result,
#   bugprone-narrowing-conversions, bugprone-suspicious-missing-comma
#			(API shape, small constant products, char from a
#			ternary, message catalogues' concatenated literals).
# A reviewed false positive is silenced where it is, with a NOLINT or
# cppcheck-suppress comment naming the check and saying why.
TIDY_CHECKS = -*,bugprone-*,cert-*,clang-analyzer-*,$\
	-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,$\
	-clang-analyzer-optin.performance.Padding,$\
	-cert-err33-c,-cert-err34-c,-bugprone-sizeof-expression,$\
	-bugprone-easily-swappable-parameters,-bugprone-branch-clone,$\
	-bugprone-implicit-widening-of-multiplication-result,$\
	-bugprone-narrowing-conversions,-bugprone-suspicious-missing-comma
TIDY_FLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -I. $(DEFS) \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

lint:
	cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	    --enable=warning,portability,performance \
	    --suppress=missingIncludeSystem -D_GNU_SOURCE $(DEFS) \
	    -Iinclude -I. scanner probes fingerprints reports
	@printf '%s\n' $(SRCS) | xargs -P2 -I{} clang-tidy --quiet \
	    --checks='$(TIDY_CHECKS)' --warnings-as-errors='*' \
	    --header-filter='^$(CURDIR)/(include|scanner|probes|fingerprints|reports)/' \
	    {} -- $(TIDY_FLAGS) 2>/dev/null || { \
	    echo "lint: clang-tidy found the above"; exit 1; }

# The fuzzers' library: clang, ASan+UBSan, coverage for libFuzzer.  One
# rule (not one sub-make per fuzzer), so `make -j` builds it once; the
# sub-make always runs and relinks the fuzzers only when it changed.
ifneq ($(B),build-fuzz-lib)
$(FUZZ_LIB): FORCE
	@$(MAKE) --no-print-directory B=build-fuzz-lib CC=clang SAN=1 \
	    WERROR=0 CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" $@
endif

FORCE:

build-fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -MMD -MP -o $@ $< $(FUZZ_LIB) $(LIBS)

-include $(FUZZERS:=.d)

# A campaign: new inputs go to build-fuzz/corpus/<name>/ (the seeds in
# tests/fuzz/corpus/<name>/ are read, not written), crashes to
# build-fuzz/artifacts/.  Executions reached: tests/fuzz/README.md.
fuzz: $(FUZZERS)
	@mkdir -p build-fuzz/artifacts; fail=0; for f in $(FUZZERS); do \
		n=$${f##*/fuzz_}; mkdir -p build-fuzz/corpus/$$n; \
		echo "== $$f ($(FUZZ_SECONDS) s)"; \
		if $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		    -timeout=10 -print_final_stats=1 \
		    -artifact_prefix=build-fuzz/artifacts/$$n- \
		    build-fuzz/corpus/$$n tests/fuzz/corpus/$$n \
		    2>build-fuzz/$$n.log; \
		then sed -n 's/^stat::number_of_executed_units: */executions: /p' \
		    build-fuzz/$$n.log; \
		else grep -E -A12 '^==[0-9]+== ?ERROR|runtime error:' \
		    build-fuzz/$$n.log; \
		    grep 'Test unit written' build-fuzz/$$n.log; fail=1; fi; \
	done; exit $$fail

# A smoke run in `make check`: every target CHECK_FUZZ_SECONDS from its
# seeds, on a scratch corpus, so a crash the seeds lead to fails CI.
check-fuzz: $(FUZZERS)
	@mkdir -p build-fuzz/artifacts; fail=0; for f in $(FUZZERS); do \
		n=$${f##*/fuzz_}; d=build-fuzz/check-corpus/$$n; \
		rm -rf $$d; mkdir -p $$d; \
		if $$f -max_total_time=$(CHECK_FUZZ_SECONDS) -max_len=65536 \
		    -timeout=10 -print_final_stats=1 \
		    -artifact_prefix=build-fuzz/artifacts/$$n- \
		    $$d tests/fuzz/corpus/$$n >build-fuzz/$$n.check.log 2>&1; \
		then printf '%-16s %s executions\n' $$n "$$(sed -n \
		    's/^stat::number_of_executed_units: *//p' \
		    build-fuzz/$$n.check.log)"; \
		else echo "FAIL fuzz_$$n:"; tail -40 build-fuzz/$$n.check.log; \
		    fail=1; fi; \
	done; exit $$fail

demo: deps
	$(MAKE) all
	./scripts/demo

clean:
	rm -rf build build-san build-fuzz build-fuzz-lib
