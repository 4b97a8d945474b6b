# Rust from Debian's packages (bookworm: cargo and rustc 1.63), on the offline OS image.
# Crates must be vendored or come from the OS image: no crates.io here.
ARG OS_IMAGE
FROM ${OS_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cargo rustc gcc libc6-dev patch \
 && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/root/.cargo CARGO_NET_OFFLINE=true RUST_BACKTRACE=0 CARGO_TERM_COLOR=never
