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
