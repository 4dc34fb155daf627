# Sourced by the other scripts: points JAVA_HOME at a JDK 21 or newer.
# The build targets Java 21; on machines whose default java is older, a JDK in
# /usr/lib/jvm is taken instead (newest first).

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ]; then
    JAVA_HOME=""
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
            JAVA_HOME="${candidate%/}"
            break
        fi
    done
    if [ -z "$JAVA_HOME" ]; then
        echo "No JDK 21 or newer found: set JAVA_HOME to one." >&2
        exit 1
    fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
