// Package wire is the service's wire layer for answers: the pooled arenas
// that ClassifyResponse messages are built in (Arena), the building itself
// from the classifier's result (Arena.Response), a bound on the encoded
// size computed before building (AnswerBytes), and the gRPC codec that
// encodes answers by hand, byte for byte as protobuf does (Codec).
//
// A field added to an answer message must be handled in Arena.Response,
// AnswerBytes and Codec; TestMarshalEveryField fails until the codec
// writes it, and TestMarshalMatchesProto compares real answers.
package wire
