#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The Python environment for the checks in python/checks/: a repo-local,
# git-ignored virtualenv in .venv with the pinned packages of
# python/checks/requirements.txt (DuckDB, pyarrow), reinstalled only when
# that file changes.
#   python_up      create or update .venv
#   python_export  export PYTHON (absolute path of the venv's interpreter)
# Sourced by scripts/test; `bash scripts/lib/python.sh` runs it.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PYTHON_VENV="$CARVROOOM_ROOT/.venv"
PYTHON_REQUIREMENTS="$CARVROOOM_ROOT/python/checks/requirements.txt"

# python_up: make .venv and install the requirements, unless the venv was
# made from the same requirements file and its interpreter still runs.
python_up() {
    local stamp want t0 log
    stamp="$PYTHON_VENV/.requirements.sha256"
    want="$(sha256sum "$PYTHON_REQUIREMENTS" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] &&
        "$PYTHON_VENV/bin/python" -c 'import duckdb, pyarrow' >/dev/null 2>&1; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || apt_ensure python3
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_ensure python3-venv
    t0="$(date +%s%N)"
    log="$(mktemp)"
    rm -rf "$PYTHON_VENV"
    run_quiet "$log" python3 -m venv "$PYTHON_VENV" || die "could not create $PYTHON_VENV"
    run_quiet "$log" "$PYTHON_VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -r "$PYTHON_REQUIREMENTS" || die "could not install $PYTHON_REQUIREMENTS"
    echo "$want" >"$stamp"
    rm -f "$log"
    step "python: .venv ready with $(tr '\n' ' ' <"$PYTHON_REQUIREMENTS" | grep -oE '[A-Za-z0-9_.-]+==[^ ]+' | tr '\n' ' ')($(elapsed "$t0"))"
}

# python_export: export PYTHON for the tests that run the checks.
python_export() {
    export PYTHON="$PYTHON_VENV/bin/python"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    python_up && python_export && echo "PYTHON=$PYTHON"
fi
