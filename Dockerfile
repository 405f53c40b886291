# syntax=docker/dockerfile:1
# classifierd image: a static binary on distroless, run as non-root.
#   docker build -t classifierd:dev .
# The model is embedded in the binary, so the image needs no other files.

FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
COPY api/ api/
COPY cmd/ cmd/
COPY internal/ internal/
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/classifierd ./cmd/classifierd

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/classifierd /usr/local/bin/classifierd
USER nonroot:nonroot
# 50051: gRPC (stance.v1.StanceService, grpc.health.v1, reflection).
# 9090: Prometheus /metrics, when CLASSIFIERD_METRICS_ADDR=:9090 is set.
# 8080: HTTP/JSON and the page, when CLASSIFIERD_HTTP_ADDR=:8080 is set.
EXPOSE 50051 9090 8080
ENTRYPOINT ["/usr/local/bin/classifierd", "-addr=:50051"]
