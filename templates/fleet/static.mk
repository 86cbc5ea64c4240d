# make static: the daemon linked statically against musl, for the fleet images (an OCI image FROM
# scratch, a portable service), which hold no C library. Built in a copy of the tree under
# build/static, so its objects and helper/have.h never mix with the host build's.
# STATIC_CC is any C compiler that links a static musl binary: Debian's musl-tools, or
#   make static STATIC_CC="zig cc -target x86_64-linux-musl"
STATIC_CC =	musl-gcc
STATIC_DIR =	build/static

static: $(STATIC_DIR)/$(PROG)

$(STATIC_DIR)/$(PROG): FORCE
	@command -v $(firstword $(STATIC_CC)) >/dev/null 2>&1 || { \
	    echo "$(PROG): make static needs $(firstword $(STATIC_CC)) (Debian: apt-get install musl-tools)," \
	        "or STATIC_CC='zig cc -target x86_64-linux-musl'" >&2; exit 1; }
	@rm -rf $(STATIC_DIR)/tree && mkdir -p $(STATIC_DIR)/tree
	@cp -R Makefile helper src init fleet $(STATIC_DIR)/tree/
	@# The host build's objects and feature header are the host compiler's: never reuse them.
	@rm -f $(STATIC_DIR)/tree/helper/have.h $(STATIC_DIR)/tree/helper/have.h.new $(OBJS:%=$(STATIC_DIR)/tree/%)
	$(MAKE) -C $(STATIC_DIR)/tree $(PROG) CC='$(STATIC_CC)' LDFLAGS='-static $(LDFLAGS)'
	@cmp -s $(STATIC_DIR)/tree/$(PROG) $@ || cp $(STATIC_DIR)/tree/$(PROG) $@
	@! command -v file >/dev/null 2>&1 || file $@ | grep -Eq 'statically linked|static-pie linked' || { \
	    echo "$(PROG): $@ is not statically linked: $(STATIC_CC) made a dynamic binary" >&2; exit 1; }

clean: clean-static
clean-static:
	rm -rf $(STATIC_DIR)

.PHONY: static clean-static
