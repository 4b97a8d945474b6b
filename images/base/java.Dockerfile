# Java from Debian's packages (bookworm: OpenJDK 17, Maven 3.8), on the offline OS image. Maven
# runs offline (-o): plugins and dependencies must come from Debian's maven-repo packages
# (under /usr/share/maven-repo) or be baked into an env image.
ARG OS_IMAGE
FROM ${OS_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven patch \
 && rm -rf /var/lib/apt/lists/*
ENV MAVEN_OPTS=-Xmx512m JAVA_TOOL_OPTIONS=-XX:+UseSerialGC
