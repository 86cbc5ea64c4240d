# fleet/portable/portable.mk: `make portable` builds <%- name %>'s systemd portable service image
# (portablectl(1), https://systemd.io/PORTABLE_SERVICES/), a directory:
#   build/portable/<%- fleet.portable.image %>/
#     /usr/lib/os-release: what portablectl requires, with the prefix of the image's units
#     /usr/lib/systemd/system/<%- name %>.service: fleet/portable/<%- name %>.service
#     <%- binPath %>: the static daemon (make static)
#     <%- fleet.portable.sighup %>: ExecReload='s SIGHUP sender (fleet/portable/sighup.c)
#     <%- config %>: etc/<%- name %>.conf
#     /proc /sys /dev /run /tmp /var/tmp /root, /etc/machine-id, /etc/resolv.conf: where systemd mounts
#     things, and /lib -> usr/lib, as systemd would otherwise add them inside the image
# Attach it on a systemd host, as root (copied, so that root owns every file it runs), with the
# strict profile (no network, no capabilities: all this daemon needs; fleet/portable/<%- name %>.service),
# naming the units' prefix (<%- name %>) last: portablectl would take the image's name up to its first "_":
#   cp -R build/portable/<%- fleet.portable.image %> /var/lib/portables/
#   portablectl attach --profile=strict --now --enable <%- fleet.portable.image %> <%- name %>
#   systemctl reload <%- name %>.service; journalctl -u <%- name %>.service
#   portablectl detach --now --enable <%- fleet.portable.image %> <%- name %>
# The config is the image's <%- config %>: edit /var/lib/portables/<%- fleet.portable.image %><%- config %> and reload,
# or rebuild the image. A squashfs image is the same tree: mksquashfs DIR <%- fleet.portable.image %>.raw -all-root.
PORTABLE_DIR =	build/portable
PORTABLE_IMAGE =	<%- fleet.portable.image %>
PORTABLE_ROOT =	$(PORTABLE_DIR)/$(PORTABLE_IMAGE)

portable: $(STATIC_DIR)/$(PROG) $(PORTABLE_DIR)/sighup
	rm -rf $(PORTABLE_ROOT).new
	$(INSTALL) -d $(PORTABLE_ROOT).new/usr/lib/systemd/system $(PORTABLE_ROOT).new/etc
	cd $(PORTABLE_ROOT).new && mkdir -p proc sys dev run tmp var/tmp root && chmod 1777 tmp var/tmp && \
	    chmod 750 root && ln -s usr/lib lib && : > etc/machine-id && : > etc/resolv.conf
	$(INSTALL) -m 644 fleet/portable/os-release $(PORTABLE_ROOT).new/usr/lib/os-release
	$(INSTALL) -m 644 fleet/portable/<%- name %>.service $(PORTABLE_ROOT).new/usr/lib/systemd/system/<%- name %>.service
	$(INSTALL) -d $(dir $(PORTABLE_ROOT).new<%- binPath %> $(PORTABLE_ROOT).new<%- fleet.portable.sighup %> $(PORTABLE_ROOT).new<%- config %>)
	$(INSTALL) -m 755 $(STATIC_DIR)/$(PROG) $(PORTABLE_ROOT).new<%- binPath %>
	$(INSTALL) -m 755 $(PORTABLE_DIR)/sighup $(PORTABLE_ROOT).new<%- fleet.portable.sighup %>
	$(INSTALL) -m 644 etc/$(PROG).conf $(PORTABLE_ROOT).new<%- config %>
	rm -rf $(PORTABLE_ROOT) && mv $(PORTABLE_ROOT).new $(PORTABLE_ROOT)
	@echo "$(PORTABLE_ROOT): attach it with portablectl attach (fleet/portable/portable.mk says how)"

$(PORTABLE_DIR)/sighup: fleet/portable/sighup.c
	@mkdir -p $(PORTABLE_DIR)
	$(STATIC_CC) $(STD) $(WARNINGS) $(CFLAGS) -static $(LDFLAGS) -o $@ fleet/portable/sighup.c

clean: clean-portable
clean-portable:
	rm -rf $(PORTABLE_DIR)

.PHONY: portable clean-portable
