#!/usr/bin/env bash
# Install the anchor engines of the scale benchmark (bench/run.py) and its CI regression check:
#   serdi (Debian serdi), rapper (Debian raptor2-utils), GNU time (Debian time), Apache Jena SHACL
#   (scripts/install-jena.sh),
#   pyrudof and the `oxigraph` server (PyPI, into the environment of $PYTHON, by default python3).
# Idempotent: nothing is installed that is already there; `apt-get update` runs only if a first install fails.
#
# Usage: PYTHON=/path/to/venv/bin/python scripts/install-bench-tools.sh   (as root, or with sudo, for apt)
set -euo pipefail

PYTHON=${PYTHON:-python3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "install-bench-tools: ERROR: $*" >&2; exit 1; }
say() { echo "install-bench-tools: $*"; }

# 1. serdi and rapper from Debian.
packages=()
command -v serdi >/dev/null 2>&1 || packages+=(serdi)
command -v rapper >/dev/null 2>&1 || packages+=(raptor2-utils)
[[ -x /usr/bin/time ]] || packages+=(time)  # GNU time: the peak memory of each measured command
if ((${#packages[@]})); then
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "must install ${packages[*]} but am not root and there is no sudo"
        SUDO=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "must install ${packages[*]} but there is no apt-get (not Debian?)"
    export DEBIAN_FRONTEND=noninteractive
    say "installing ${packages[*]} with apt-get"
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
        say "first install failed; updating the package lists and trying again"
        "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
            || die "apt-get install ${packages[*]} failed"
    fi
fi
command -v serdi >/dev/null 2>&1 || die "serdi is still missing"
command -v rapper >/dev/null 2>&1 || die "rapper is still missing"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is still missing"

# 2. Jena SHACL (Debian's package plus govgraph's fix jar).
bash "$HERE/install-jena.sh"

# 3. pyrudof and the oxigraph server binary, into the Python environment the benchmark runs in.
"$PYTHON" -c "import sys" 2>/dev/null || die "no Python at $PYTHON (set PYTHON)"
if ! "$PYTHON" -c "import pyrudof" 2>/dev/null; then
    say "pip installing pyrudof into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    "$PYTHON" -m pip install --quiet "pyrudof>=0.3" || die "pip install pyrudof failed"
fi
"$PYTHON" -c "import pyrudof" || die "pyrudof still cannot be imported"
bindir=$("$PYTHON" -c 'import sys, pathlib; print(pathlib.Path(sys.executable).parent)')
if [[ ! -x "$bindir/oxigraph" ]] && ! command -v oxigraph >/dev/null 2>&1; then
    say "pip installing the oxigraph server"
    "$PYTHON" -m pip install --quiet "oxigraph>=0.4,<0.6" || die "pip install oxigraph failed"
fi

say "serdi: $(command -v serdi); rapper: $(command -v rapper) ($(rapper --version 2>/dev/null))"
say "pyrudof: $("$PYTHON" -c 'import pyrudof; print(pyrudof.__version__)')"
say "ok: every anchor of bench/run.py is installed"
