# Build: docker build -t sluice .
# Run:   docker run -p 8780:8780 -v sluice-data:/var/lib/sluice -v /var/log/litellm:/logs:ro sluice
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies first so that source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product sluice \
    && swift build -c release --product sluicectl \
    && mkdir -p /out \
    && cp "$(swift build -c release --show-bin-path)/sluice" "$(swift build -c release --show-bin-path)/sluicectl" /out/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libsqlite3-0 libssl3 libcurl4 libxml2 tzdata ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/sluice --create-home sluice
# The Swift runtime libraries the binaries link against.
COPY --from=build /usr/lib/swift/linux/*.so* /usr/lib/swift/linux/
RUN echo /usr/lib/swift/linux > /etc/ld.so.conf.d/swift.conf && ldconfig
COPY --from=build /out/sluice /out/sluicectl /usr/local/bin/
COPY Config/sluice.yaml /etc/sluice/sluice.yaml
# In the container: the database on the volume, logs mounted at /logs, listen on all interfaces.
# Listening beyond loopback needs auth tokens in the config: Sluice refuses otherwise.
RUN sed -i 's|path: sluice.db|path: /var/lib/sluice/sluice.db|; s|path: "logs/\*.jsonl"|path: "/logs/*.jsonl"|' /etc/sluice/sluice.yaml
USER sluice
VOLUME ["/var/lib/sluice"]
EXPOSE 8780
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD curl -fsS http://127.0.0.1:8780/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/sluice"]
CMD ["serve", "--config", "/etc/sluice/sluice.yaml"]
