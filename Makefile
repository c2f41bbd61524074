# autoheal-operator — everything a fresh machine needs goes through these targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B
JAR := target/quarkus-app/quarkus-run.jar
CRD_FILES := healingclusters.autoheal.io-v1.yml elasticippools.autoheal.io-v1.yml

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
	@for f in $(CRD_FILES); do cp target/kubernetes/$$f crds/$$f; done
	@echo "crds: crds/ updated from target/kubernetes"

.PHONY: test
test: sandbox-up ## Tests of our moto extensions, then unit, property and integration tests (real kube-apiserver + moto)
	@echo "test: sandbox/moto/test.sh (our moto extensions: lifecycle hooks, fault injection)"
	@bash sandbox/moto/test.sh
	@source .sandbox/env && $(MVN) verify

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
image: build ## Build the container image autoheal-operator:dev (src/main/docker/Dockerfile.jvm; needs a Docker/Podman engine)
	@engine=$$(command -v docker || command -v podman || true); \
	if [ -z "$$engine" ] || ! $$engine info >/dev/null 2>&1; then \
	  echo "image: no running Docker or Podman engine here; the app is packaged in target/quarkus-app — build the image where an engine runs: docker build -f src/main/docker/Dockerfile.jvm -t autoheal-operator:dev ." >&2; exit 1; \
	fi; \
	$$engine build -f src/main/docker/Dockerfile.jvm -t autoheal-operator:dev .

.PHONY: clean
clean: ## Remove build output (keeps the sandbox cache)
	@$(MVN) -q clean
