#!/usr/bin/env bash
# Runs the Dockerfile's training start (the command after "RUN java -XX:AOTCacheOutput", read from
# the Dockerfile itself) for each service, on the jar the build made, laid out as in the image and
# with no network at all, as inside `docker build`. A service whose start-up needs the database or
# the broker fails here, rather than in the image build on a user's machine: no machine of ours has
# a Docker engine to build the images on.
#
#   scripts/image-training-check.sh [MODULE...]     default: the five services; their jars must exist
#                                                   (scripts/test.sh or ./mvnw package builds them)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(signup-api email-worker fraud-worker billing-worker notify-worker)

training=$(sed -n '/^RUN java -XX:AOTCacheOutput/,/[^\\]$/p' Dockerfile | sed 's/\\$//' | tr '\n' ' ' \
    | sed 's/^RUN //; s/  */ /g')
if [ -z "$training" ]; then
    echo "The Dockerfile has no 'RUN java -XX:AOTCacheOutput' line: update this check with it" >&2
    exit 1
fi
if ! unshare -rn true 2> /dev/null; then
    echo "unshare -rn (a network namespace of its own) is not allowed here: cannot run the check" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for module in "${modules[@]}"; do
    jar=$(ls "$module"/target/"$module"-*.jar 2> /dev/null | grep -v -- '-plain\|\.original' | head -1 || true)
    if [ -z "$jar" ]; then
        echo "$module: no jar in $module/target: build it first" >&2
        failed=1
        continue
    fi
    # As the Dockerfile does: Spring Boot's layers, copied one over the other into one directory.
    "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --layers --destination "$work/$module/extracted" \
        --application-filename application.jar > /dev/null
    mkdir -p "$work/$module/application"
    for layer in dependencies spring-boot-loader snapshot-dependencies application; do
        [ -d "$work/$module/extracted/$layer" ] && cp -r "$work/$module/extracted/$layer/." "$work/$module/application/"
    done
    started=$SECONDS
    if (cd "$work/$module/application" && PATH="$JAVA_HOME/bin:$PATH" unshare -rn sh -c "$training") \
            > "$work/$module/training.log" 2>&1 && [ -s "$work/$module/application/application.aot" ]; then
        echo "$module: the training start refreshed its context with no network and wrote its AOT cache" \
            "($(( $(stat -c %s "$work/$module/application/application.aot") / 1048576 )) MB, $((SECONDS - started)) s)"
    else
        echo "$module: the training start FAILED with no network; its log:" >&2
        grep -E ' (ERROR|WARN) |Caused by' "$work/$module/training.log" | cut -c1-400 >&2 || tail -40 "$work/$module/training.log" >&2
        failed=1
    fi
done
exit "$failed"
