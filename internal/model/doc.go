// Package model is the stance scorer: a multinomial logistic regression
// over the hashed features of internal/features, with temperature scaling
// so that its probabilities are calibrated, and the file format it is
// saved in. A Model is built once (New or Load) and then only read, so one
// model serves any number of goroutines; reloading builds a new one.
package model
