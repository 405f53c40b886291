// Package classifier is the stance pipeline: tokenize, find entity
// mentions, match lexicon cues, extract features, score with the linear
// model, explain and aggregate. It works on plain Go types with UTF-8 byte
// offsets; the gRPC layer converts encodings and maps its errors.
package classifier
