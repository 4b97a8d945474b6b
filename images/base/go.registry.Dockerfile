# Go from the registry's official image.
ARG LANGUAGE_VERSION=1.22
FROM golang:${LANGUAGE_VERSION}-bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends patch procps \
 && rm -rf /var/lib/apt/lists/*
ENV GOTOOLCHAIN=local CGO_ENABLED=0
