# Python from the registry's official image, for users whose machines reach Docker Hub and PyPI.
ARG LANGUAGE_VERSION=3.11
FROM python:${LANGUAGE_VERSION}-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git patch procps \
 && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1
