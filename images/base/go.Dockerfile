# Go from Debian's packages (bookworm: Go 1.19), on the offline OS image.
ARG OS_IMAGE
FROM ${OS_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go patch \
 && rm -rf /var/lib/apt/lists/*
ENV GOCACHE=/root/.cache/go-build GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
