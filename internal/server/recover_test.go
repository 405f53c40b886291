package server

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestRecoverUnary(t *testing.T) {
	var logs bytes.Buffer
	icpt := RecoverUnary(slog.New(slog.NewTextHandler(&logs, nil)))
	_, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/stance.v1.StanceService/Classify"},
		func(context.Context, any) (any, error) { panic("boom") })
	if status.Code(err) != codes.Internal || strings.Contains(err.Error(), "boom") {
		t.Errorf("panic gave %v, want INTERNAL without the panic value", err)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("panic not logged with a stack: %q", logs.String())
	}
	resp, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) { return "ok", nil })
	if resp != "ok" || err != nil {
		t.Errorf("normal call = %v, %v", resp, err)
	}
}
