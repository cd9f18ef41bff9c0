#!/usr/bin/env bash
# Install Apache Jena SHACL (Debian's libapache-jena-java) as govgraph's second SHACL engine, and work around
# the package's defect. Idempotent: apt runs only if jars are missing, the fix jar is built only if missing.
#
# The defect (Debian bookworm, Jena 4.5.0-2): Jena dies at start-up with
#   java.lang.ExceptionInInitializerError at xerces.impl.dv.SchemaDVFactory.<clinit>
#   Caused by: java.lang.RuntimeException: internal error at xerces.impl.dv.xs.XSSimpleTypeDecl.applyFacets1
# because the relocated xerces classes look up their message bundles as xerces.impl.msg.*Messages and
# xerces.impl.xpath.regex.message, while jena-core.jar ships them under org/apache/jena/ext/xerces/impl/...
# The fix: a small jar with those .properties files copied to xerces/impl/..., put on the class path
# (bench/jena.py, jena_classpath(), does). It goes to $GOVGRAPH_JENA_FIX_JAR, by default
# /usr/local/share/govgraph-jena/xerces-messages.jar.
#
# Usage: scripts/install-jena.sh   (as root, or with sudo available, when something must be installed)
set -euo pipefail

JAVA_DIR=/usr/share/java
FIX_JAR=${GOVGRAPH_JENA_FIX_JAR:-/usr/local/share/govgraph-jena/xerces-messages.jar}
# The jars bench/jena.py needs (keep in step with JENA_JARS and DEPENDENCY_JARS there).
JARS=(jena-base jena-core jena-iri jena-arq jena-shacl jena-shex jena-cmds jena-rdfconnection
      jena-dboe-base jena-dboe-index jena-dboe-storage jena-dboe-trans-data jena-dboe-transaction jena-tdb jena-tdb2
      commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 dexx.collection gson guava
      httpclient httpcore jackson-core jackson-databind jackson-annotations jsonld-java jakarta.json-api
      titanium-json-ld protobuf thrift slf4j-api slf4j-simple)

die() { echo "install-jena: ERROR: $*" >&2; exit 1; }
say() { echo "install-jena: $*"; }

missing_jars() {
    local j
    for j in "${JARS[@]}"; do [[ -f "$JAVA_DIR/$j.jar" ]] || echo "$j"; done
}

java_ok() { command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; }

# 1. Packages: only when a jar or java is missing.
packages=()
[[ -z "$(missing_jars)" ]] || packages+=(libapache-jena-java libslf4j-java)
java_ok || packages+=(default-jre-headless)
if ((${#packages[@]})); then
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "must install ${packages[*]} but am not root and there is no sudo"
        SUDO=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "must install ${packages[*]} but there is no apt-get (not Debian?)"
    say "installing ${packages[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine has no package lists: update once if the candidate is unknown.
    for p in "${packages[@]}"; do
        if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
            break
        fi
    done
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
        || die "apt-get install -y --no-install-recommends ${packages[*]} failed"
fi
still=$(missing_jars | tr '\n' ' ')
[[ -z "$still" ]] || die "jars still missing from $JAVA_DIR after installing: $still"
java_ok || die "java still does not run after installing default-jre-headless"

# 2. The fix jar: the xerces message bundles at the path the code looks them up.
if [[ ! -s "$FIX_JAR" ]]; then
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to build $FIX_JAR"
    mkdir -p "$(dirname "$FIX_JAR")" || die "cannot create $(dirname "$FIX_JAR")"
    python3 - "$JAVA_DIR/jena-core.jar" "$FIX_JAR" <<'PY' || die "could not build $FIX_JAR"
import os, re, sys, zipfile

source, target = sys.argv[1], sys.argv[2]
prefix = "org/apache/jena/ext/"
wanted = re.compile(r"org/apache/jena/ext/(xerces/impl/msg/[^/]+\.properties|xerces/impl/xpath/regex/message[^/]*\.properties)$")
tmp = target + ".tmp"
with zipfile.ZipFile(source) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
    out.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nCreated-By: govgraph scripts/install-jena.sh\n\n")
    names = [n for n in src.namelist() if wanted.match(n)]
    if not any(n.endswith("/XMLSchemaMessages.properties") for n in names):
        sys.exit(f"{source} has no {prefix}xerces/impl/msg/XMLSchemaMessages.properties: a different Jena?")
    for name in names:
        out.writestr(name[len(prefix):], src.read(name))
os.replace(tmp, target)
print(f"install-jena: copied {len(names)} message bundles into {target}")
PY
fi

# 3. Smoke test: Jena starts and validates (a data graph with no shapes conforms).
CP=$FIX_JAR
for j in "${JARS[@]}"; do CP+=":$JAVA_DIR/$j.jar"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '<http://example.org/s> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n' >"$tmp/g.nt"
if ! out=$(java -cp "$CP" shacl.shacl validate --shapes "$tmp/g.nt" --data "$tmp/g.nt" 2>&1) \
        || ! grep -q 'conforms *true' <<<"$out"; then
    die "Jena does not run even with $FIX_JAR on the class path:
$out"
fi

say "java: $(command -v java) ($(java -version 2>&1 | head -n1))"
say "jena: $(dpkg-query -W -f='${Package} ${Version}' libapache-jena-java 2>/dev/null || echo '?'), jars in $JAVA_DIR"
say "fix jar: $FIX_JAR"
say "ok: Jena SHACL runs (java -cp <jars> shacl.shacl validate --shapes S --data D)"
