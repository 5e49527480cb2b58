#!/usr/bin/env bash
# Turns a rootfs directory into an OCI image-layout tar (one gzip layer, config,
# manifest, index naming the image) that `ctr images import` and `podman load` accept,
# so containerd and podman can run the busybox rootfs without a registry.
# Usage: scripts/make-image.sh ROOTFS_DIR OUTPUT_TAR [IMAGE_NAME [CMD...]]
#   IMAGE_NAME defaults to docker.io/library/runcs-busybox:latest, CMD to /bin/sh.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 ROOTFS_DIR OUTPUT_TAR [IMAGE_NAME [CMD...]]" >&2
  exit 2
fi
rootfs=$1
output=$2
name=${3:-docker.io/library/runcs-busybox:latest}
shift $(($# < 3 ? $# : 3))
cmd=$(if [ $# -gt 0 ]; then jq -cn '$ARGS.positional' --args "$@"; else echo '["/bin/sh"]'; fi)
[ -d "$rootfs/bin" ] || { echo "make-image: $rootfs is not a rootfs (no bin/)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
blobs=$work/layout/blobs/sha256
mkdir -p "$blobs"

# sha256 and size of a file, as the image-spec descriptors need them.
digest() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
# Moves a file into the blob store under its digest and prints that digest.
store() {
  local d
  d=$(digest "$1")
  mv "$1" "$blobs/$d"
  echo "$d"
}

tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .
diff_id=$(digest "$work/layer.tar")
gzip -n -c "$work/layer.tar" > "$work/layer.tar.gz"
layer_size=$(size "$work/layer.tar.gz")
layer=$(store "$work/layer.tar.gz")

jq -cn --arg diff "sha256:$diff_id" --argjson cmd "$cmd" '{
  architecture: "amd64", os: "linux",
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: $cmd, WorkingDir: "/"
  },
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created_by: "scripts/make-image.sh"}]
}' > "$work/config.json"
config_size=$(size "$work/config.json")
config=$(store "$work/config.json")

jq -cn --arg c "sha256:$config" --argjson cs "$config_size" \
       --arg l "sha256:$layer" --argjson ls "$layer_size" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]
}' > "$work/manifest.json"
manifest_size=$(size "$work/manifest.json")
manifest=$(store "$work/manifest.json")

# containerd reads io.containerd.image.name; podman reads org.opencontainers.image.ref.name.
jq -cn --arg m "sha256:$manifest" --argjson ms "$manifest_size" --arg name "$name" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{
    mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
    platform: {architecture: "amd64", os: "linux"},
    annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $name}
  }]
}' > "$work/layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"

mkdir -p "$(dirname "$output")"
tar --sort=name --numeric-owner --owner=0 --group=0 -C "$work/layout" -cf "$output" oci-layout index.json blobs
echo "image $name: $output"
