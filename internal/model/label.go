package model

import "fmt"

// Label is a stance class.
type Label uint8

// The labels, in the order of the model's weight rows.
const (
	Hostile Label = iota
	Cooperative
	Neutral
	// NumLabels is the number of labels.
	NumLabels = 3
)

// Labels lists every label in weight-row order.
var Labels = [NumLabels]Label{Hostile, Cooperative, Neutral}

// String returns the label as written in stance JSONL.
func (l Label) String() string {
	switch l {
	case Hostile:
		return "hostile"
	case Cooperative:
		return "cooperative"
	case Neutral:
		return "neutral"
	}
	return fmt.Sprintf("label(%d)", uint8(l))
}

// ParseLabel reads a stance JSONL label.
func ParseLabel(s string) (Label, error) {
	switch s {
	case "hostile":
		return Hostile, nil
	case "cooperative":
		return Cooperative, nil
	case "neutral":
		return Neutral, nil
	}
	return 0, fmt.Errorf("%w: %q (want hostile, cooperative or neutral)", ErrUnknownLabel, s)
}

// PolarLabel returns the more probable of hostile and cooperative when its
// probability reaches threshold, neutral otherwise: the decision rule of
// the stages whose neutral means "no stance", which the argmax would pick
// too often or too rarely.
func PolarLabel(p [NumLabels]float32, threshold float32) Label {
	side := Hostile
	if p[Cooperative] > p[Hostile] {
		side = Cooperative
	}
	if p[side] >= threshold {
		return side
	}
	return Neutral
}
