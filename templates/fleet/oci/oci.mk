# make image: <%- name %> as an OCI image (fleet/oci/Containerfile), FROM scratch around the static
# build (make static). No registry: the image is tagged in the engine's local store.
#   make image                       podman (buildah underneath)
#   make image CONTAINER_ENGINE=docker
# The build context is staged in build/oci: rootfs/ as the image's / and an empty piddir/.
CONTAINER_ENGINE ?=	podman
OCI_IMAGE =	<%- fleet.oci.repository %>:$(VERSION)
OCI_DIR =	build/oci
# podman and buildah write OCI-format images, whose config cannot hold a HEALTHCHECK: ask
# them for docker's format, which keeps it. docker itself writes that format only.
OCI_FORMAT =	$(if $(filter podman buildah,$(notdir $(firstword $(CONTAINER_ENGINE)))),--format docker)

image: static
	@command -v $(firstword $(CONTAINER_ENGINE)) >/dev/null 2>&1 || { \
	    echo "$(PROG): make image needs $(firstword $(CONTAINER_ENGINE)) (Debian: apt-get install podman)," \
	        "or CONTAINER_ENGINE=docker" >&2; exit 1; }
	rm -rf $(OCI_DIR)
	$(INSTALL) -d -m 0755 $(OCI_DIR)/rootfs/etc $(OCI_DIR)/rootfs<%- fleet.configDir %> \
	    $(OCI_DIR)/rootfs<%- sbindir %><% if (pidDir !== '/run') { %> $(OCI_DIR)/rootfs/run<% } %>
	$(INSTALL) -d -m 0755 $(OCI_DIR)/piddir
	$(INSTALL) -d -m 1777 $(OCI_DIR)/rootfs/tmp
	$(INSTALL) -m 0755 $(STATIC_DIR)/$(PROG) $(OCI_DIR)/rootfs<%- binPath %>
	$(INSTALL) -m 0644 etc/$(PROG).conf $(OCI_DIR)/rootfs<%- config %>
	$(INSTALL) -m 0644 fleet/oci/passwd $(OCI_DIR)/rootfs/etc/passwd
	$(INSTALL) -m 0644 fleet/oci/group $(OCI_DIR)/rootfs/etc/group
	$(CONTAINER_ENGINE) build $(OCI_FORMAT) -f fleet/oci/Containerfile -t $(OCI_IMAGE) $(OCI_DIR)
	@$(CONTAINER_ENGINE) image inspect --format '$(OCI_IMAGE): {{.Size}} bytes' $(OCI_IMAGE)

clean: clean-image
clean-image:
	rm -rf $(OCI_DIR)

.PHONY: image clean-image
