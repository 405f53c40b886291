package server

import (
	"context"
	"errors"

	"github.com/stance/classifierd/internal/classifier"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// statusOf maps an error from validation or the classifier to the status a
// client sees. Field problems become INVALID_ARGUMENT with a
// google.rpc.BadRequest listing every field; anything unexpected becomes
// INTERNAL with a generic message, and the details go to the log only.
func (s *Server) statusOf(ctx context.Context, err error) *status.Status {
	var fields classifier.FieldErrors
	var field *classifier.FieldError
	var tooLarge *tooLargeError
	var answerTooLarge *answerTooLargeError
	switch {
	case errors.As(err, &fields):
		return badRequest(fields)
	case errors.As(err, &field):
		return badRequest(classifier.FieldErrors{field})
	case errors.As(err, &tooLarge):
		return status.New(codes.ResourceExhausted, tooLarge.Error())
	case errors.As(err, &answerTooLarge):
		return status.New(codes.ResourceExhausted, answerTooLarge.Error())
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return status.FromContextError(err)
	}
	if st, ok := status.FromError(err); ok {
		return st
	}
	s.log.ErrorContext(ctx, "classify failed", "err", err)
	return status.New(codes.Internal, "internal error")
}

func badRequest(fields classifier.FieldErrors) *status.Status {
	st := status.New(codes.InvalidArgument, "invalid request: "+fields.Error())
	br := &errdetails.BadRequest{}
	for _, f := range fields {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: f.Field, Description: f.Reason})
	}
	if withDetails, err := st.WithDetails(br); err == nil {
		return withDetails
	}
	return st
}
