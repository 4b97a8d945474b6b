# Node.js from Debian's packages (bookworm: Node 18), on the offline OS image.
ARG OS_IMAGE
FROM ${OS_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs patch \
 && rm -rf /var/lib/apt/lists/*
