package relations

import "github.com/stance/classifierd/internal/model"

// Threshold is the probability at which a pair's more likely polar label
// becomes a relation: more likely than not. The relation model's neutral
// label is "no relation asserted", and news asserts none between most pairs
// of actors it names together, so a relation must be the better bet than
// all alternatives taken together, not merely the argmax.
const Threshold = 0.5

// Decide returns the relation label of a pair's calibrated probabilities:
// Hostile or Cooperative when that label reaches Threshold, Neutral (no
// relation) otherwise.
func Decide(p [model.NumLabels]float32) model.Label { return model.PolarLabel(p, Threshold) }

// Unreachable reports whether a pair's logits (before temperature) leave
// Decide no relation to find, by a margin that rounding cannot close: a
// polar label reaches a probability of one half only where its logit is
// above the neutral one. Most pairs are such, and deciding it from the
// logits spares their softmax.
func Unreachable(logits [model.NumLabels]float32, temperature float32) bool {
	// With both polar logits 0.001 under the neutral one, each polar
	// probability is at most sigmoid(-0.001/temperature), under 0.49998
	// for temperatures up to 10; float32 rounding of logits under 100
	// moves their difference by under 2e-5. Outside those bounds, no
	// shortcut.
	const margin = 1e-3
	n := logits[model.Neutral]
	if Threshold < 0.5 || !(temperature <= 10) || !(n > -100 && n < 100) {
		return false
	}
	return logits[model.Hostile] < n-margin && logits[model.Cooperative] < n-margin
}
