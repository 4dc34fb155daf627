# syntax=docker/dockerfile:1
# Any of the five services, from the repository root (the build context: the Maven reactor needs every
# module's POM), chosen with MODULE:
#   docker build --build-arg MODULE=email-worker --build-arg PORT=8081 -t signup-pipeline/email-worker .
# docker-compose.yml builds each service this way.
ARG MODULE=signup-api

# Build: the project's own Maven Wrapper, so the image gets the Maven version CI uses.
FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
ARG MODULE
WORKDIR /workspace
COPY . .
# The local repository (and the wrapper's Maven) live in a BuildKit cache shared by the five images,
# locked because Maven's local repository is not safe for concurrent builds. Tests are compiled (the
# reactor resolves test-scoped modules) but not run: CI runs them.
RUN --mount=type=cache,id=signup-pipeline-m2,target=/root/.m2,sharing=locked \
    sh ./mvnw -B -ntp -pl "$MODULE" -am package -DskipTests \
    && cp "$MODULE"/target/"$MODULE"-*.jar application.jar
# Spring Boot's layers: dependencies change less often than the application, so they are cached apart.
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

# Run: a JRE only, as an unprivileged user.
FROM eclipse-temurin:25.0.3_9-jre-alpine
ARG PORT=8080
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
WORKDIR /application
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
USER 10001:10001
EXPOSE $PORT
# The heap follows the container's memory limit; an OutOfMemoryError ends the process so that the
# restart policy brings up a fresh one instead of a half-working JVM.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
