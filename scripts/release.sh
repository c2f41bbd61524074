#!/usr/bin/env bash
# make release: dist/autoheal-operator.yaml (CRDs + Namespace + RBAC + admission policy + ConfigMap + Deployment +
# Service + PDB: the kustomize base with the image tag of the project version) and the packaged Helm chart
# dist/autoheal-operator-<version>.tgz. Install: kubectl apply --server-side -f dist/autoheal-operator.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
source sandbox/lib.sh
bash sandbox/build.sh >/dev/null         # kubectl (kustomize) from the sandbox's cached build
bash sandbox/build-helm.sh >/dev/null    # helm, likewise
KUBECTL="$SANDBOX_DIR/bin/kubectl"
HELM="$SANDBOX_DIR/bin/helm"
version="${VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)}"
[ -n "$version" ] || die "no <version> found in pom.xml"
image="${IMAGE_REPOSITORY:-ghcr.io/autoheal/autoheal-operator}"

mkdir -p dist
overlay=$(mktemp -d)
trap 'rm -rf "$overlay"' EXIT
mkdir -p "$overlay/release"
cp -r deploy/base "$overlay/base"
cat > "$overlay/release/kustomization.yaml" <<KUST
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
images:
  - name: ghcr.io/autoheal/autoheal-operator
    newName: $image
    newTag: "$version"
KUST
out=dist/autoheal-operator.yaml
{
  echo "# autoheal-operator $version: CRDs, namespace autoheal-system, RBAC, tenant-safety admission policy, Deployment."
  echo "# Install: kubectl apply --server-side -f autoheal-operator.yaml   (then see deploy/README.md: IRSA, bootstrap credentials)"
  for crd in crds/*.yml; do echo "---"; cat "$crd"; done
  echo "---"
  "$KUBECTL" kustomize "$overlay/release"
} > "$out.tmp"
mv "$out.tmp" "$out"
"$HELM" package deploy/helm/autoheal-operator --version "$version" --app-version "$version" -d dist >/dev/null
echo "release: $out ($(grep -c '^kind:' "$out") objects, image $image:$version) and dist/autoheal-operator-$version.tgz"
