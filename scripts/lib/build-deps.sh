#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# What building and testing CarVrooom needs from the machine, installed
# only when missing:
#   build_deps_ensure  the Rust toolchain check plus the native build
#                      dependencies (librdkafka's cmake build, HiGHS'
#                      bindgen) and kcat, for building and the demo;
#   test_deps_ensure   PostgreSQL, a Java 17+ runtime and Maven, for the
#                      integration tier (scripts/lib/postgres.sh, kafka.sh).
# Sourced by scripts/*; `bash scripts/lib/build-deps.sh [build|test]` runs it.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# build_deps_ensure: a C/C++ toolchain, cmake, libcurl and libclang headers,
# pkg-config and kcat from Debian; cargo from rustup.
build_deps_ensure() {
    local pkgs=(cmake libcurl4-openssl-dev libclang-dev pkg-config kcat)
    if ! command -v cc >/dev/null 2>&1 || ! command -v c++ >/dev/null 2>&1 ||
        ! command -v make >/dev/null 2>&1; then
        pkgs+=(build-essential)
    fi
    apt_ensure "${pkgs[@]}"
    if ! command -v cargo >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found: install Rust 1.95+ with rustup (https://rustup.rs)"
    step "build deps: ok ($(cargo --version | cut -d' ' -f1-2))"
}

# java_major: the major version of `java` on PATH (0 when there is none).
java_major() {
    local v
    v="$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')" || true
    v="${v#1.}"
    echo "${v%%[.-]*}" | grep -E '^[0-9]+$' || echo 0
}

# test_deps_ensure: PostgreSQL server and client, Java 17+ and Maven.
test_deps_ensure() {
    local pkgs=(postgresql)
    if (($(java_major) < 17)); then
        pkgs+=(openjdk-17-jre-headless)
    fi
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
    apt_ensure "${pkgs[@]}"
    (($(java_major) >= 17)) || die "java 17+ not found on PATH after installing openjdk-17-jre-headless"
    step "test deps: ok (postgresql, java $(java_major), maven)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    case "${1:-build}" in
        build) build_deps_ensure ;;
        test) build_deps_ensure && test_deps_ensure ;;
        *) die "usage: $0 [build|test]" ;;
    esac
fi
