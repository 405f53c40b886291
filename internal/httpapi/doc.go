// Package httpapi serves stance.v1.StanceService as HTTP/JSON, the OpenAPI
// document that describes it, and a page that shows a document's stances,
// all on one HTTP address.
//
// The JSON routes are grpc-gateway's transcoding of the gRPC service, and
// the gateway calls the service through a gRPC server of its own that
// listens in memory (bufconn) and is built with the same server options
// (interceptors for metrics, logging, authentication and panics, message
// limits, the service's codec and load shedding) as the public gRPC
// server. An HTTP call is thus a gRPC call in every respect but the
// transport: the same limits, the same statuses, the same log line and
// metrics. TLS and mutual TLS are the HTTP listener's; bearer tokens
// travel from the Authorization header to the gRPC metadata.
package httpapi
