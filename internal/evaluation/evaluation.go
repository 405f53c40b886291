// Package evaluation scores predicted stance labels against gold ones:
// accuracy, macro-F1, per-class precision, recall and F1, the confusion
// matrix, and expected calibration error.
package evaluation

import (
	"fmt"
	"io"
	"strings"

	"github.com/stance/classifierd/internal/model"
)

// Confusion counts gold (rows) against predicted (columns) labels and
// collects confidences for calibration.
type Confusion struct {
	Counts [model.NumLabels][model.NumLabels]int
	bins   [eceBins]struct {
		n       int
		conf    float64
		correct int
	}
}

const eceBins = 10

// Add records one prediction with its probabilities.
func (c *Confusion) Add(gold model.Label, probs [model.NumLabels]float32) {
	c.AddDecided(gold, model.Scores{Probs: probs}.Label(), probs)
}

// AddDecided records a prediction pred made from probs by a rule other
// than the most probable label (the document stage's threshold): its
// calibration is that of probs[pred], the probability given to the label
// answered.
func (c *Confusion) AddDecided(gold, pred model.Label, probs [model.NumLabels]float32) {
	c.Counts[gold][pred]++
	conf := float64(probs[pred])
	if !(conf >= 0) { // NaN or below 0: a malformed answer
		conf = 0
	}
	conf = min(conf, 1)
	b := min(int(conf*eceBins), eceBins-1)
	c.bins[b].n++
	c.bins[b].conf += conf
	if pred == gold {
		c.bins[b].correct++
	}
}

// AddLabel records a prediction without probabilities (no calibration).
func (c *Confusion) AddLabel(gold, pred model.Label) { c.Counts[gold][pred]++ }

// Metrics are the scores of a Confusion.
type Metrics struct {
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
	ECE      float64 `json:"ece"`
	// Calibrated is how many predictions came with probabilities, which
	// ECE is over; 0 where none did (ECE is then 0 and means nothing).
	Calibrated int                                   `json:"calibrated"`
	PerClass   map[string]model.ClassScore           `json:"per_class"`
	Matrix     [model.NumLabels][model.NumLabels]int `json:"-"`
	Labels     [model.NumLabels]string               `json:"-"`
	Confuse    map[string]map[string]int             `json:"confusion"`
}

// Metrics computes the scores.
func (c *Confusion) Metrics() Metrics {
	m := Metrics{PerClass: map[string]model.ClassScore{}, Matrix: c.Counts, Confuse: map[string]map[string]int{}}
	correct := 0
	for g := range model.NumLabels {
		for p := range model.NumLabels {
			m.N += c.Counts[g][p]
		}
		correct += c.Counts[g][g]
	}
	if m.N == 0 {
		return m
	}
	m.Accuracy = float64(correct) / float64(m.N)
	for _, l := range model.Labels {
		tp := c.Counts[l][l]
		var predicted, gold int
		for k := range model.NumLabels {
			predicted += c.Counts[k][l]
			gold += c.Counts[l][k]
		}
		cs := model.ClassScore{Label: l.String(), Support: gold}
		if predicted > 0 {
			cs.Precision = float64(tp) / float64(predicted)
		}
		if gold > 0 {
			cs.Recall = float64(tp) / float64(gold)
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		m.PerClass[l.String()] = cs
		m.MacroF1 += cs.F1 / model.NumLabels
		m.Labels[l] = l.String()
		row := map[string]int{}
		for _, p := range model.Labels {
			row[p.String()] = c.Counts[l][p]
		}
		m.Confuse[l.String()] = row
	}
	var binned int
	for _, b := range c.bins {
		binned += b.n
	}
	m.Calibrated = binned
	if binned > 0 {
		for _, b := range c.bins {
			if b.n > 0 {
				gap := b.conf/float64(b.n) - float64(b.correct)/float64(b.n)
				if gap < 0 {
					gap = -gap
				}
				m.ECE += float64(b.n) / float64(binned) * gap
			}
		}
	}
	return m
}

// Evaluation converts the metrics to the model's record of them.
func (m Metrics) Evaluation(dataset string) model.Evaluation {
	e := model.Evaluation{Dataset: dataset, Targets: m.N, Accuracy: m.Accuracy, MacroF1: m.MacroF1, ECE: m.ECE}
	for _, l := range model.Labels {
		e.PerClass = append(e.PerClass, m.PerClass[l.String()])
	}
	return e
}

// WriteText prints the metrics as a human-readable report.
func (m Metrics) WriteText(w io.Writer) error {
	var b strings.Builder
	switch {
	case m.Calibrated == 0:
		fmt.Fprintf(&b, "n=%d  accuracy=%.4f  macro-F1=%.4f  ECE n/a (no probabilities)\n\n", m.N, m.Accuracy, m.MacroF1)
	case m.Calibrated < m.N:
		fmt.Fprintf(&b, "n=%d  accuracy=%.4f  macro-F1=%.4f  ECE=%.4f (over the %d with probabilities)\n\n", m.N, m.Accuracy, m.MacroF1, m.ECE, m.Calibrated)
	default:
		fmt.Fprintf(&b, "n=%d  accuracy=%.4f  macro-F1=%.4f  ECE=%.4f\n\n", m.N, m.Accuracy, m.MacroF1, m.ECE)
	}
	fmt.Fprintf(&b, "%-12s %9s %9s %9s %8s\n", "class", "precision", "recall", "f1", "support")
	for _, l := range model.Labels {
		cs := m.PerClass[l.String()]
		fmt.Fprintf(&b, "%-12s %9.4f %9.4f %9.4f %8d\n", l, cs.Precision, cs.Recall, cs.F1, cs.Support)
	}
	fmt.Fprintf(&b, "\nconfusion (rows gold, columns predicted)\n%-12s", "")
	for _, l := range model.Labels {
		fmt.Fprintf(&b, " %11s", l)
	}
	b.WriteByte('\n')
	for _, g := range model.Labels {
		fmt.Fprintf(&b, "%-12s", g)
		for _, p := range model.Labels {
			fmt.Fprintf(&b, " %11d", m.Matrix[g][p])
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
