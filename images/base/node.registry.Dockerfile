# Node.js from the registry's official image.
ARG LANGUAGE_VERSION=20
FROM node:${LANGUAGE_VERSION}-bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git patch procps ca-certificates \
 && rm -rf /var/lib/apt/lists/*
