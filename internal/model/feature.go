package model

// Feature is one hashed, weighted feature: a model input. Cue and Token say
// where in the text it came from, so that a decision can be explained.
type Feature struct {
	// Index is the feature's hash bucket in [0, 2^bits).
	Index uint32
	// Value is the feature's value, usually in (0, 2].
	Value float32
	// Cue is the index of the CueMatch that produced the feature, or -1.
	Cue int32
	// Token is the index of the context token that produced the feature,
	// or a negative value: -1 for none, features.PriorToken for the
	// mention's own words.
	Token int32
}
