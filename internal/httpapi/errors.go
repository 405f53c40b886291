package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// retryDelay is the backoff suggested to callers shed before their body
// is read, as the gRPC server suggests to those it sheds.
const retryDelay = 100 * time.Millisecond

// httpStatus is the HTTP status of a gRPC status: grpc-gateway's mapping,
// except that RESOURCE_EXHAUSTED is 429 Too Many Requests only when the
// server is at capacity (the status then carries a google.rpc.RetryInfo),
// and 413 Content Too Large when the request is over a size limit, for
// which retrying does not help.
func httpStatus(st *status.Status) int {
	if st.Code() == codes.ResourceExhausted {
		if _, ok := retryInfo(st); ok {
			return http.StatusTooManyRequests
		}
		return http.StatusRequestEntityTooLarge
	}
	return runtime.HTTPStatusFromCode(st.Code())
}

func retryInfo(st *status.Status) (time.Duration, bool) {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			return ri.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}

// writeError is the gateway's error handler: every failed call, whether
// the service refused it or the gateway could not decode it, is answered
// with its google.rpc.Status as JSON (code, message, and details such as
// google.rpc.BadRequest field violations).
func writeError(_ context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	code := 0
	if hs, ok := errors.AsType[*runtime.HTTPStatusError](err); ok {
		code, err = hs.HTTPStatus, hs.Err
	}
	st := status.Convert(err)
	if code == 0 {
		code = httpStatus(st)
	}
	writeStatus(w, r, st, code)
}

// writeRoutingError answers a path or method the API does not have with
// the HTTP status that says so (404, 405) and a matching gRPC status.
func writeRoutingError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, code int) {
	c := codes.Internal
	switch code {
	case http.StatusNotFound:
		c = codes.NotFound
	case http.StatusMethodNotAllowed:
		c = codes.Unimplemented
	case http.StatusBadRequest:
		c = codes.InvalidArgument
	}
	writeStatus(w, r, status.New(c, http.StatusText(code)), code)
}

var statusJSON = protojson.MarshalOptions{}

// writeStatus writes st as JSON with HTTP status code. A 429 says when to
// retry; a 401 names the scheme, as RFC 9110 asks.
func writeStatus(w http.ResponseWriter, r *http.Request, st *status.Status, code int) {
	body, err := statusJSON.Marshal(st.Proto())
	if err != nil {
		body = []byte(`{"code":13,"message":"internal error"}`)
		code = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	switch code {
	case http.StatusTooManyRequests:
		d, _ := retryInfo(st)
		h.Set("Retry-After", strconv.Itoa(max(1, int((d+time.Second-1)/time.Second))))
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="classifierd"`)
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
