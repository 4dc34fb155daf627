#!/usr/bin/env bash
# What `docker build` does for each service, as far as it can run without a Docker engine (no
# machine of ours has one to build the images on):
#   1. the build context: the repository's files less those .dockerignore leaves out;
#   2. the Maven build of the services in that context, as the Dockerfile's build stage runs it, so a
#      module that needs a file the context leaves out fails here;
#   3. each jar laid out as in the image, and the Dockerfile's training start (the command after
#      "RUN java -XX:AOTCacheOutput", read from the Dockerfile itself) run on it with no network at
#      all, as inside `docker build`: a service whose start-up needs the database or the broker fails
#      here, rather than in the image build on a user's machine.
# The base images, the image's own JRE and the container's run are left to scripts/compose-smoke.sh
# on a machine with an engine.
#
#   scripts/image-build-check.sh [MODULE...]     default: signup-api and the workers of scripts/workers.roster
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    modules=(signup-api)
    while read -r service _; do
        modules+=("$service")
    done < <(grep -Ev '^[[:space:]]*(#|$)' scripts/workers.roster)
fi

training=$(sed -n '/^RUN java -XX:AOTCacheOutput/,/[^\\]$/p' Dockerfile | sed 's/\\$//' | tr '\n' ' ' \
    | sed 's/^RUN //; s/  */ /g')
if [ -z "$training" ]; then
    echo "The Dockerfile has no 'RUN java -XX:AOTCacheOutput' line: update this check with it" >&2
    exit 1
fi
if ! git rev-parse --git-dir > /dev/null 2>&1; then
    echo "Not a git checkout: the build context is taken from the files git tracks" >&2
    exit 1
fi
if ! unshare -rn true 2> /dev/null; then
    echo "unshare -rn (a network namespace of its own) is not allowed here: cannot run the check" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
context=$work/context

# 1. The tracked files, less what .dockerignore excludes: Docker's patterns, where * stops at a slash,
# ** crosses any number of directories, and a pattern that matches a directory excludes all below it.
git ls-files -z | python3 -c '
import os, re, shutil, sys
def pattern(line):
    line, regex, i = line.strip().rstrip("/"), "", 0
    while i < len(line):
        if line.startswith("**/", i): regex, i = regex + "(?:.*/)?", i + 3
        elif line.startswith("**", i): regex, i = regex + ".*", i + 2
        elif line[i] == "*": regex, i = regex + "[^/]*", i + 1
        elif line[i] == "?": regex, i = regex + "[^/]", i + 1
        else: regex, i = regex + re.escape(line[i]), i + 1
    return re.compile(regex + "$")
excluded = [pattern(line) for line in open(".dockerignore") if line.strip() and not line.startswith("#")]
for path in sys.stdin.read().split("\0"):
    parts = path.split("/")
    if not path or any(p.match("/".join(parts[:n])) for p in excluded for n in range(1, len(parts) + 1)):
        continue
    os.makedirs(os.path.dirname(os.path.join(sys.argv[1], path)), exist_ok=True)
    shutil.copy2(path, os.path.join(sys.argv[1], path))
' "$context"

# 2. The build stage's Maven build, for all of them at once.
started=$SECONDS
if ! (cd "$context" && sh ./mvnw -B -ntp -q -pl "$(IFS=,; echo "${modules[*]}")" -am package -DskipTests) \
        > "$work/build.log" 2>&1; then
    echo "The services do not build from the Docker build context (.dockerignore); Maven's output:" >&2
    tail -60 "$work/build.log" >&2
    exit 1
fi
echo "The services built from the Docker build context in $((SECONDS - started)) s"

# 3. Per service: the jar as the Dockerfile copies it, Spring Boot's layers copied one over the other
# into one directory, and the training start with no network.
failed=0
for module in "${modules[@]}"; do
    image=$work/$module
    mkdir -p "$image/application"
    cp "$context/$module"/target/"$module"-*.jar "$image/application.jar"
    "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$image/application.jar" extract --layers \
        --destination "$image/extracted" --application-filename application.jar > /dev/null
    for layer in dependencies spring-boot-loader snapshot-dependencies application; do
        [ -d "$image/extracted/$layer" ] && cp -r "$image/extracted/$layer/." "$image/application/"
    done
    started=$SECONDS
    if (cd "$image/application" && PATH="$JAVA_HOME/bin:$PATH" unshare -rn sh -c "$training") \
            > "$image/training.log" 2>&1 && [ -s "$image/application/application.aot" ]; then
        echo "$module: the training start refreshed its context with no network and wrote its AOT cache" \
            "($(( $(stat -c %s "$image/application/application.aot") / 1048576 )) MB, $((SECONDS - started)) s)"
    else
        echo "$module: the training start FAILED with no network; its log:" >&2
        grep -E ' (ERROR|WARN) |Caused by' "$image/training.log" | cut -c1-400 >&2 || tail -40 "$image/training.log" >&2
        failed=1
    fi
done
exit "$failed"
