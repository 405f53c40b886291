package relations

import (
	"math"

	"github.com/stance/classifierd/internal/model"
)

// Floor is the probability at which a pair's more likely polar label
// becomes a relation for the stages after the relation stage: mentions'
// holders and the document model's inputs read every relation from Floor,
// whatever the service returns, so that a choice of what to return
// (Threshold) does not move entity labels.
const Floor = 0.3

// Threshold is the probability from which the service returns a relation.
// The relation model's neutral label is "no relation asserted", and news
// asserts none between most pairs of actors it names together, so the
// argmax alone would not do. The value, with BothWaysAt, the model's class
// balance and the weight of pairs with unmarked parties
// (training.RelationConfig.UnmarkedWeight), is chosen by the relation
// model's cross-validation (stancetrain relation-cv). Out of fold, recall
// falls and precision rises with it (over train_a to train_n: 0.25: 0.739
// / 0.587; 0.3: 0.724 / 0.612; 0.35: 0.708 / 0.636; 0.4: 0.690 / 0.658).
// Users need 0.75 recall on wire sentences and 0.60 precision on sentences
// with every pair annotated: the ordinary wire sets (train_d, e, g, k)
// keep 0.80-0.86 recall at 0.35, and precision on the hard cases is the
// short one, so the balance leans to precision. Paired by sentence,
// cooperative relations from 0.35 instead of 0.3 gave -0.007 [-0.009,
// -0.006] recall and +0.011 [+0.009, +0.013] precision (over train_a to
// train_o), and hostile ones then -0.009 [-0.010, -0.007] and +0.013
// [+0.011, +0.015] (over train_a to train_p; F1 +0.003 each). Hostile
// ones stayed at 0.3 until the relation model read seed 003's Iran ->
// NATO above 0.35 (Raisi's quote: 0.83, from 0.30).
const Threshold = 0.35

// BothWaysAt is the probability at which a relation stands although the
// relation the other way between the same two parties is more probable:
// a third of the relations in the training data run both ways (mutual
// conflict, joint action: "clashed with", "held talks with"), mostly not
// joined in one phrase, and the model gives the second direction a little
// less. In cross-validation, keeping it from 0.6 on gains 0.035 recall for
// no precision over keeping only the more probable direction; keeping
// every direction costs more precision and makes victims reciprocate
// ("NATO accused Iran": Iran -> NATO).
const BothWaysAt = 0.6

// Decide returns the relation label of a pair's calibrated
// probabilities for the later stages: Hostile or Cooperative when that
// label reaches Floor, Neutral (no relation) otherwise.
func Decide(p [model.NumLabels]float32) model.Label { return model.PolarLabel(p, Floor) }

// Returned reports whether the service returns a relation of label l and
// probabilities p that Decide found.
func Returned(l model.Label, p [model.NumLabels]float32) bool {
	return l != model.Neutral && p[l] >= Threshold
}

// Unreachable reports whether a pair's logits (before temperature) leave
// Decide no relation to find, by a margin that rounding cannot close. A
// polar label's probability is at most the sigmoid of its logit's lead
// over the neutral one (divided by the temperature), so it cannot reach
// Floor where that lead is under T·logit(Floor). Most pairs are
// such, and deciding it from the logits spares their softmax.
func Unreachable(logits [model.NumLabels]float32, temperature float32) bool {
	// 0.001 under the bound keeps each polar probability under Floor
	// by a relative 1e-4 for temperatures up to 10; float32 rounding of
	// logits under 100 moves their difference by under 2e-5. Outside those
	// bounds, no shortcut.
	const margin = 1e-3
	n := logits[model.Neutral]
	if !(temperature > 0 && temperature <= 10) || !(n > -100 && n < 100) {
		return false
	}
	bound := n + min(0, temperature*floorLogit) - margin
	return logits[model.Hostile] < bound && logits[model.Cooperative] < bound
}

// floorLogit is logit(Floor), the lead over the neutral logit at
// which a polar label alone (the third label at zero) would reach it.
var floorLogit = float32(math.Log(Floor / (1 - Floor)))

// BothWays reports whether a relation of probability p (of its label)
// stands although its reverse is more probable.
func BothWays(p float32) bool { return p >= BothWaysAt }
