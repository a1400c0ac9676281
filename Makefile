# Vigie - one Makefile.
#   make            build build/vigie
#   make check      install what is missing, then unit tests and fuzz
#                   replays under ASan+UBSan, rule examples, and the
#                   integration scenarios in the network-namespace lab
#   make demo       install, build, lab up, scan, reports, lab down
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each
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
FUZZ_SECONDS ?= 60

.PHONY: all deps check check-unit check-fuzz-replay check-rules \
	check-integration check-format check-headers demo fuzz clean lint
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

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    -Iinclude -I. scanner probes fingerprints reports

build-fuzz/%: tests/fuzz/%.c $(SRCS)
	@mkdir -p build-fuzz
	$(MAKE) B=build-fuzz-lib CC=clang SAN=1 WERROR=0 \
	    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" build-fuzz-lib/libvigie.a
	clang -std=c11 -D_GNU_SOURCE -Iinclude -I. -g -O1 \
	    -fsanitize=fuzzer,address,undefined -o $@ $< \
	    build-fuzz-lib/libvigie.a $(LIBS)

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
		n=$${f##*/fuzz_}; mkdir -p build-fuzz/corpus/$$n; \
		echo "== $$f ($(FUZZ_SECONDS) s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		    build-fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

demo: deps
	$(MAKE) all
	./scripts/demo

clean:
	rm -rf build build-san build-fuzz build-fuzz-lib
