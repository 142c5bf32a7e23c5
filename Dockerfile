# liveblog: a release build with the Swift runtime linked in, on a slim Debian runtime.

FROM swift:6.3-bookworm AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libssl-dev zlib1g-dev libbrotli-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so that a change of our sources reuses the resolved packages.
COPY Package.swift ./
RUN swift package resolve
COPY Sources Sources
COPY Tests Tests
RUN swift build -c release --product liveblog --static-swift-stdlib \
    && mkdir -p /out \
    && cp .build/release/liveblog /out/ \
    && cp -R .build/release/*.resources /out/

FROM debian:bookworm-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libssl3 zlib1g libbrotli1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin liveblog
COPY --from=build /out/ /app/
USER 10001:10001
ENV LIVEBLOG_HOST=0.0.0.0 \
    LIVEBLOG_PORT=8080
EXPOSE 8080
# The binary checks itself (no curl or wget in the image): /readyz, which is 503 until the
# corpus is loaded. Failures in the start period do not count and the first success ends
# it, so 300 s covers the cold load of a large corpus and costs a small one nothing.
HEALTHCHECK --interval=10s --timeout=3s --start-period=300s --retries=3 \
    CMD ["/app/liveblog", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/liveblog"]
