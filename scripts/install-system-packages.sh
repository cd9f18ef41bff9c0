#!/usr/bin/env bash
# Install the Debian packages govgraph's test suite and benchmark run against (`make test` calls this):
#   chromium               the static site's browser test (driven by Python Playwright; no browser download)
#   npm                    installs the site's JavaScript from package-lock.json (`make setup` runs npm ci)
#   nginx-light apache2-bin  the site's content-negotiation rules, tested in real servers on 127.0.0.1
#   serdi raptor2-utils time   anchors of the scale benchmark (bench/run.py) and GNU time for its peak memory
#   libapache-jena-java      the second SHACL engine, plus the fix jar for Debian's packaging defect
#                            (scripts/install-jena.sh)
#   virtuoso-opensource      OpenLink Virtuoso 7, the second triple store publish and the bundled queries are
#                            tested on (tests/virtuoso.py starts its own server over a temporary database)
#   libowlapi-java default-jdk-headless  the OWL API's OWL 2 DL profile check of the ontology
#                            (tests/owl/DLProfileCheck.java, run by the JDK's single-file source launcher)
# Idempotent and quick when everything is there: apt runs only for what is missing, and `apt-get update`
# only when a first install fails (a fresh machine has no or stale package lists).
#
# Usage: scripts/install-system-packages.sh   (as root, or with sudo, when something must be installed)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "install-system-packages: ERROR: $*" >&2; exit 1; }
say() { echo "install-system-packages: $*"; }

# package → a file it installs (what tells us it is there)
declare -A PROVIDES=(
    [chromium]=/usr/bin/chromium
    [npm]=/usr/bin/npm
    [nginx-light]=/usr/sbin/nginx
    [apache2-bin]=/usr/sbin/apache2
    [serdi]=/usr/bin/serdi
    [raptor2-utils]=/usr/bin/rapper
    [time]=/usr/bin/time
    [virtuoso-opensource]=/usr/bin/virtuoso-t
    [libowlapi-java]=/usr/share/java/owlapi-distribution.jar
    [default-jdk-headless]=/usr/bin/javac
)

missing=()
for package in chromium npm nginx-light apache2-bin serdi raptor2-utils time virtuoso-opensource libowlapi-java \
        default-jdk-headless; do
    [[ -e "${PROVIDES[$package]}" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "must install ${missing[*]} but am not root and there is no sudo"
        SUDO=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "must install ${missing[*]} but there is no apt-get (not Debian?)"
    export DEBIAN_FRONTEND=noninteractive
    if [[ " ${missing[*]} " == *" virtuoso-opensource "* ]] && command -v debconf-set-selections >/dev/null 2>&1; then
        # Virtuoso's package asks for a dba password. An empty answer keeps the stock one, and its postinst then
        # stops (and disables) the system service it started: the tests run servers of their own, on free ports.
        printf '%s\n' \
            'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password' \
            'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password' \
            | "${SUDO[@]}" debconf-set-selections
    fi
    say "installing ${missing[*]} with apt-get"
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        say "first install failed; updating the package lists and trying again"
        "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
            || die "apt-get install -y --no-install-recommends ${missing[*]} failed"
    fi
    for package in "${missing[@]}"; do
        [[ -e "${PROVIDES[$package]}" ]] || die "${PROVIDES[$package]} is still missing after installing $package"
    done
fi

bash "$HERE/install-jena.sh" >/dev/null

# Smoke test: the browser starts headless.
/usr/bin/chromium --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 || die "/usr/bin/chromium does not start"
say "ok: chromium, npm, nginx, apache2, serdi, rapper, GNU time, Virtuoso, Jena SHACL and the OWL API are installed"
