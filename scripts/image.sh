#!/usr/bin/env bash
# make image: the operator's OCI image, built without a container engine or daemon, from Debian packages.
#   1. root filesystem: mmdebstrap bookworm --variant=essential + deploy/image/packages.txt (openjdk-17-jre-headless),
#      then the package manager removed (dpkg, apt, their databases) and a non-root user 185; cached as an OCI layout
#      in ~/.cache/autoheal-sandbox/image-base-<hash of packages.txt + this script> (cold: ~2 min measured; warm: none).
#      Debian security updates are picked up by a fresh base: delete that directory (or edit packages.txt) before a release
#   2. umoci adds the Quarkus fast-jar as two layers (lib/ — dependencies, rarely changing —, then app/, quarkus/ and
#      quarkus-run.jar) and writes the config: user 185, entrypoint, labels (source, version, licences, base)
#   3. skopeo writes target/image/autoheal-operator-<version>.oci.tar (an oci-archive: skopeo copy
#      oci-archive:<file> docker://<registry>/... pushes it; podman load -i / docker load need docker-archive, same command)
# Needs: mmdebstrap, umoci, skopeo (Debian packages; scripts/prereqs.sh installs them), root or user namespaces, a
# Debian mirror (MIRROR, default http://deb.debian.org/debian), target/quarkus-app (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
source sandbox/lib.sh
IMAGE_SCRIPT_VERSION=1
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
version="${VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)}"
tag="${IMAGE_TAG:-$version}"
source_url="${IMAGE_SOURCE:-https://github.com/autoheal/autoheal-operator}"
# The project states no licence yet (no LICENSE file, none in pom.xml): SPDX's NOASSERTION until it does.
licenses="${IMAGE_LICENSES:-NOASSERTION}"
app=target/quarkus-app
out_dir=target/image
archive="$out_dir/autoheal-operator-$version.oci.tar"

for tool in mmdebstrap umoci skopeo; do
  command -v "$tool" >/dev/null || die "$tool not found — apt-get install mmdebstrap umoci skopeo (make prereqs)"
done
[ -f "$app/quarkus-run.jar" ] || die "$app/quarkus-run.jar not found — make build first"

packages=$(grep -v '^#' deploy/image/packages.txt | xargs | tr ' ' ',')
base_key=$( { echo "$IMAGE_SCRIPT_VERSION $SUITE"; cat deploy/image/packages.txt; sed -n '/^build_base()/,/^}/p' "$0"; } | sha256sum | cut -c1-12)
base="$CACHE_DIR/image-base-$base_key"

build_base() {
  local tmp="$1"
  mmdebstrap --quiet --variant=essential --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$SUITE" "$tmp/rootfs" "$MIRROR"
  local r="$tmp/rootfs"
  # no package manager in the image: dpkg, apt and their state go (the image is rebuilt, never upgraded in place)
  rm -rf "$r"/usr/bin/dpkg* "$r"/usr/sbin/dpkg* "$r"/usr/bin/apt* "$r"/usr/lib/apt "$r"/usr/lib/dpkg "$r"/etc/apt "$r"/etc/dpkg \
    "$r"/var/lib/dpkg "$r"/var/lib/apt "$r"/var/cache/apt "$r"/var/cache/debconf "$r"/var/log/* "$r"/usr/share/man "$r"/usr/share/info
  echo "autoheal:x:185:185:autoheal-operator:/deployments:/usr/sbin/nologin" >> "$r/etc/passwd"
  echo "autoheal:x:185:" >> "$r/etc/group"
  mkdir -p "$r/deployments" && chown 185:185 "$r/deployments"
  tar --create --file "$tmp/rootfs.tar" --directory "$r" --numeric-owner --sort=name .
  rm -rf "$r"
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:base"
  umoci raw add-layer --image "$tmp/oci:base" "$tmp/rootfs.tar"
  rm "$tmp/rootfs.tar"
}

if [ ! -f "$base/oci/index.json" ]; then
  say "image: building the root filesystem (Debian $SUITE: $packages) into $base (first time only)"
  start=$(date +%s)
  mkdir -p "$CACHE_DIR"
  tmp="$base.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  build_base "$tmp"
  rm -rf "$base" && mv "$tmp" "$base"
  trap - EXIT
  say "image: root filesystem built in $(( $(date +%s) - start ))s"
fi

start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$base/oci" "$work/oci"
# app layers owned by 185, files read-only for it (the root filesystem is mounted read-only in the Deployment anyway)
mkdir -p "$work/deps/deployments" "$work/app/deployments"
cp -a "$app/lib" "$work/deps/deployments/lib"
cp -a "$app/app" "$app/quarkus" "$app/quarkus-run.jar" "$work/app/deployments/"
for layer in deps app; do
  tar --create --file "$work/$layer.tar" --directory "$work/$layer" --owner=185 --group=185 --numeric-owner --sort=name \
    --mtime='2000-01-01 00:00:00Z' deployments
  umoci raw add-layer --image "$work/oci:base" "$work/$layer.tar"
done
created=$(date -u +%FT%TZ)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
umoci config --image "$work/oci:base" --tag "$tag" \
  --config.user 185:185 --config.workingdir /deployments \
  --config.exposedports 8080/tcp \
  --config.env 'LANG=C.UTF-8' --config.env 'JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --config.entrypoint /bin/sh --config.entrypoint -c \
  --config.entrypoint 'exec /usr/lib/jvm/java-17-openjdk-amd64/bin/java -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS -jar /deployments/quarkus-run.jar' \
  --config.entrypoint autoheal-operator \
  --config.label "org.opencontainers.image.title=autoheal-operator" \
  --config.label "org.opencontainers.image.source=$source_url" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$revision" \
  --config.label "org.opencontainers.image.licenses=$licenses" \
  --config.label "org.opencontainers.image.created=$created" \
  --config.label "org.opencontainers.image.base.name=debian:$SUITE (mmdebstrap, essential + $packages)" \
  --created "$created"
umoci rm --image "$work/oci:base"
umoci gc --layout "$work/oci"
mkdir -p "$out_dir"
rm -f "$archive"
skopeo copy --quiet "oci:$work/oci:$tag" "oci-archive:$archive:$tag"
size=$(du -m "$archive" | cut -f1)
say "image: $archive (autoheal-operator:$tag, ${size} MiB compressed) in $(( $(date +%s) - start ))s"
