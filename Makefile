# autoheal-operator — everything a fresh machine needs goes through these targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B
JAR := target/quarkus-app/quarkus-run.jar
SANDBOX_TAG := sandbox
CRD_FILES := healingclusters.autoheal.io-v1.yml elasticippools.autoheal.io-v1.yml tenantpolicies.autoheal.io-v1.yml

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

.PHONY: prereqs
prereqs: ## Check (and on Debian install) what the build and the sandbox need
	@bash scripts/prereqs.sh

.PHONY: sandbox-up
sandbox-up: prereqs ## Start kube-apiserver + etcd + moto on loopback (builds them on first use); writes .sandbox/env
	@bash sandbox/up.sh

.PHONY: sandbox-down
sandbox-down: ## Stop every sandbox process
	@bash sandbox/down.sh

.PHONY: sandbox-status
sandbox-status: ## Show the sandbox endpoints and whether they answer
	@bash sandbox/status.sh

.PHONY: build
build: prereqs ## Compile and package the operator (also generates the CRDs into target/kubernetes)
	@echo "build: mvn package (first run downloads ~250 MB of Maven artifacts)"
	@$(MVN) -q package -DskipTests

.PHONY: crds
crds: build ## Regenerate crds/ from the Java API types
	@for f in $(CRD_FILES); do cp target/kubernetes/$$f crds/$$f; cp target/kubernetes/$$f deploy/helm/autoheal-operator/crds/$$f; done
	@echo "crds: crds/ and the Helm chart's crds/ updated from target/kubernetes"

.PHONY: helm
helm: prereqs ## Build the Helm CLI (sandbox/helm, Go modules) into the cache, linked as .sandbox/bin/helm
	@bash sandbox/build-helm.sh

.PHONY: release
release: ## dist/autoheal-operator.yaml (CRDs + namespace + RBAC + Deployment, image tag = project version) and the packaged Helm chart
	@bash scripts/release.sh

.PHONY: test
test: sandbox-up helm ## Tests of our moto extensions, then unit, property and integration tests (real kube-apiserver + moto)
	@echo "test: sandbox/moto/test.sh (our moto extensions: lifecycle hooks, fault injection)"
	@bash sandbox/moto/test.sh
	@source .sandbox/env && $(MVN) verify

.PHONY: check
check: prereqs ## Quick path, no sandbox: unit, property and fast-tier tests (tests tagged sandbox left out)
	@# By name as well as by tag: surefire then never hands the sandbox classes to JUnit, so Quarkus does not build
	@# an application for them at discovery (about 2 minutes a test profile on a busy 2-core machine).
	@mkdir -p target && grep -rlE '@SandboxTest|@Tag\(SandboxTest\.TAG\)' src/test/java --include='*Test.java' \
		| sed -e 's|.*/|**/|' > target/sandbox-tests.txt
	@$(MVN) test -DexcludedGroups=$(SANDBOX_TAG) -Dsurefire.excludesFile=target/sandbox-tests.txt -Dautoheal.tier=check

.PHONY: bench
bench: sandbox-up ## Fleet-scale benchmark (~15 min): AWS calls, reaction time, 1,000 clusters in-process, Kubernetes writes (docs/performance.md)
	@echo "bench: package the operator, then FleetBench (progress below; results in target/bench/results.md and docs/performance.md)"
	@source .sandbox/env && $(MVN) verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FleetBench $(BENCH_ARGS)

.PHONY: run
run: sandbox-up build ## The operator against the sandbox with the examples applied (Ctrl-C stops the operator)
	@bash scripts/run.sh --with-examples

.PHONY: run-operator
run-operator: build ## Only the operator, against whatever .sandbox/env points at (no examples)
	@bash scripts/run.sh

.PHONY: image
image: build ## OCI image target/image/autoheal-operator-<version>.oci.tar without an engine (mmdebstrap + umoci + skopeo; deploy/README.md)
	@bash scripts/image.sh

.PHONY: clean
clean: ## Remove build output (keeps the sandbox cache)
	@$(MVN) -q clean
