# Guantong 贯通 — the two commands a new user needs: `make run` and `make test`.
# Every tool comes from a package registry (crates.io, npm, Debian) and is installed here,
# idempotently: nothing is downloaded from anywhere else. The site is built by plain cargo,
# wasm-bindgen, wasm-opt, Tailwind and a Node script (`build/site.mjs`), so no build tool has to
# be compiled from source beyond the wasm-bindgen CLI.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
WASM_BINDGEN_PIN := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export DATABASE_URL ?= sqlite://data/guantong.db?mode=rwc
export LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
export LEPTOS_SITE_ROOT ?= target/site

# PostgreSQL for the integration tests: the local server unless told otherwise. Outside CI a
# missing server skips those tests (with a message); with CI=true they fail instead.
PG_DEFAULT := postgres://postgres@127.0.0.1:5432/postgres
ifeq ($(origin TEST_POSTGRES_URL), undefined)
  ifeq ($(CI),true)
    export TEST_POSTGRES_URL := $(PG_DEFAULT)
  else
    export TEST_POSTGRES_URL := $(shell (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && echo $(PG_DEFAULT))
  endif
endif

CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)
export CHROMIUM

.PHONY: help tools rust-tools node-tools browser check-versions build run test fmt lint \
        unit wasm-test e2e size bench clean FORCE

help:
	@echo "make run    install what is missing, build (release), migrate, load demo data, serve on http://$(LEPTOS_SITE_ADDR)"
	@echo "make test   everything: fmt, clippy, unit/property/rule cases, SQLite+PostgreSQL integration, wasm, end-to-end"
	@echo "make size   sizes (raw and brotli) of the wasm, js and css the site serves; fails over the 250 kB budget"
	@echo "make bench  criterion benchmarks of the rule engine"

## ---------------------------------------------------------------- tools

tools: rust-tools node-tools check-versions

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@# No --locked: the CLI's own lock file names a crate version the registry lacks.
	@[ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" = "$(WASM_BINDGEN_VERSION)" ] \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

node-tools: node_modules/.installed

node_modules/.installed: package.json
	npm install --no-audit --no-fund
	@touch $@

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

check-versions:
	@[ -n "$(WASM_BINDGEN_VERSION)" ] || { echo "wasm-bindgen not found in Cargo.lock"; exit 1; }
	@[ "$(WASM_BINDGEN_PIN)" = "$(WASM_BINDGEN_VERSION)" ] || { \
	  echo "wasm-bindgen pinned to $(WASM_BINDGEN_PIN) in Cargo.toml but $(WASM_BINDGEN_VERSION) in Cargo.lock"; exit 1; }
	@[ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" = "$(WASM_BINDGEN_VERSION)" ] || { \
	  echo "wasm-bindgen CLI is not $(WASM_BINDGEN_VERSION): run make tools"; exit 1; }

## ---------------------------------------------------------------- build and run

# The site, as cargo-leptos's `build --release --precompress` would make it (the workspace keeps its
# [[workspace.metadata.leptos]], so `cargo leptos watch` still works for those who install it):
#   the server (release), the wasm (profile wasm-release, its own target dir), wasm-bindgen's glue,
#   wasm-opt, esbuild (minifies the glue), Tailwind's CSS, then build/site.mjs: hashed names and hash.txt, public files, .br/.gz.
# Regenerating the wasm and js takes about 12 s even when nothing changed, so the build runs only
# when a source is newer than the last one (or the binary is gone): a second `make run` starts in
# about a second.
SOURCES := $(shell find app build casework frontend rules server store style public -type f 2>/dev/null) \
           Cargo.toml Cargo.lock package.json
BUILD_STAMP := target/.site-built
SITE := target/site
PKG := $(SITE)/pkg
OUTPUT_NAME := guantong
FRONT_TARGET := target/front
# What cargo-leptos tells the compiler about the site (Leptos reads some of it at compile time).
LEPTOS_ENV := LEPTOS_OUTPUT_NAME=$(OUTPUT_NAME) LEPTOS_SITE_ROOT=$(SITE) LEPTOS_SITE_PKG_DIR=pkg \
              LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt

build: tools $(BUILD_STAMP)

$(BUILD_STAMP): $(SOURCES) $(if $(wildcard target/release/server),,FORCE)
	$(LEPTOS_ENV) cargo build --release --package=server --bin=server --no-default-features
	$(LEPTOS_ENV) cargo build --package=frontend --lib --target=wasm32-unknown-unknown \
	  --no-default-features --profile=wasm-release --target-dir=$(FRONT_TARGET)
	rm -rf $(SITE) && mkdir -p $(PKG)
	wasm-bindgen --target=web --out-name=$(OUTPUT_NAME) --out-dir=$(PKG) \
	  $(FRONT_TARGET)/wasm32-unknown-unknown/wasm-release/frontend.wasm
	mv $(PKG)/$(OUTPUT_NAME)_bg.wasm $(PKG)/$(OUTPUT_NAME).wasm
	rm -f $(PKG)/*.d.ts
	wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
	  $(PKG)/$(OUTPUT_NAME).wasm -o $(PKG)/$(OUTPUT_NAME).wasm
	esbuild $(PKG)/$(OUTPUT_NAME).js --minify --format=esm --allow-overwrite \
	  --log-level=warning --outfile=$(PKG)/$(OUTPUT_NAME).js
	tailwindcss --input style/tailwind.css --output $(PKG)/$(OUTPUT_NAME).css --minify
	node build/site.mjs $(SITE) pkg $(OUTPUT_NAME) target/release/hash.txt public
	@touch $@

FORCE:

run: build
	target/release/server migrate
	target/release/server seed --demo --if-empty
	@echo "Guantong is starting on http://$(LEPTOS_SITE_ADDR) (Ctrl-C stops it)"
	exec target/release/server serve

## ---------------------------------------------------------------- tests

test: tools browser fmt lint unit wasm-test e2e size api-fuzz
	@echo "make test: all checks passed"

fmt:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p rules --no-default-features --target wasm32-unknown-unknown -- -D warnings

unit:
	@echo "PostgreSQL for integration tests: $${TEST_POSTGRES_URL:-not configured (skipped)}"
	cargo test --workspace --exclude frontend

wasm-test:
	cargo build -p rules --no-default-features --target wasm32-unknown-unknown
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test -p rules --target wasm32-unknown-unknown --test wasm

e2e: build browser
	npx playwright test -c end2end/playwright.config.ts

size: build
	@bench/size.sh target/site/pkg

bench:
	cargo bench -p rules --bench evaluate

clean:
	cargo clean
	rm -rf target/site node_modules end2end/test-results

## ---------------------------------------------------------------- API fuzzing (schemathesis)

# schemathesis (PyPI, pinned) in a virtualenv under .tools/, run by bench/schemathesis.sh against
# the release binary and its own /api/v1/openapi.json: every check, a capped number of examples.
SCHEMATHESIS_VERSION := 4.32.5
SCHEMATHESIS_VENV := .tools/venv
SCHEMATHESIS_STAMP := $(SCHEMATHESIS_VENV)/.schemathesis-$(SCHEMATHESIS_VERSION)

.PHONY: api-fuzz

$(SCHEMATHESIS_STAMP):
	python3 -m venv $(SCHEMATHESIS_VENV)
	$(SCHEMATHESIS_VENV)/bin/pip install --quiet --disable-pip-version-check \
	  schemathesis==$(SCHEMATHESIS_VERSION)
	@touch $@

api-fuzz: build $(SCHEMATHESIS_STAMP)
	SCHEMATHESIS=$(SCHEMATHESIS_VENV)/bin/schemathesis bench/schemathesis.sh
