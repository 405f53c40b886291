package evaluation

import (
	"math"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/model"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMetrics(t *testing.T) {
	var c Confusion
	// gold hostile: 3 right, 1 predicted neutral; gold cooperative: 1 right,
	// 1 predicted hostile; gold neutral: 2 right.
	for _, p := range []struct{ gold, pred model.Label }{
		{model.Hostile, model.Hostile}, {model.Hostile, model.Hostile}, {model.Hostile, model.Hostile},
		{model.Hostile, model.Neutral}, {model.Cooperative, model.Cooperative}, {model.Cooperative, model.Hostile},
		{model.Neutral, model.Neutral}, {model.Neutral, model.Neutral},
	} {
		c.AddLabel(p.gold, p.pred)
	}
	m := c.Metrics()
	if m.N != 8 || !near(m.Accuracy, 6.0/8) {
		t.Errorf("n=%d accuracy=%v", m.N, m.Accuracy)
	}
	h := m.PerClass["hostile"]
	if !near(h.Precision, 3.0/4) || !near(h.Recall, 3.0/4) || !near(h.F1, 0.75) || h.Support != 4 {
		t.Errorf("hostile = %+v", h)
	}
	co := m.PerClass["cooperative"]
	if !near(co.Precision, 1) || !near(co.Recall, 0.5) || !near(co.F1, 2.0/3) {
		t.Errorf("cooperative = %+v", co)
	}
	ne := m.PerClass["neutral"]
	if !near(ne.Precision, 2.0/3) || !near(ne.Recall, 1) || !near(ne.F1, 0.8) {
		t.Errorf("neutral = %+v", ne)
	}
	if !near(m.MacroF1, (0.75+2.0/3+0.8)/3) {
		t.Errorf("macro-F1 = %v", m.MacroF1)
	}
	if m.Confuse["cooperative"]["hostile"] != 1 || m.Confuse["hostile"]["neutral"] != 1 {
		t.Errorf("confusion = %v", m.Confuse)
	}
	var text strings.Builder
	m.WriteText(&text)
	if !strings.Contains(text.String(), "macro-F1=0.7389") {
		t.Errorf("report:\n%s", text.String())
	}
}

func TestExpectedCalibrationError(t *testing.T) {
	var c Confusion
	// Ten predictions at confidence 0.9, nine right: perfectly calibrated.
	for i := range 10 {
		gold := model.Hostile
		if i == 0 {
			gold = model.Neutral
		}
		c.Add(gold, [model.NumLabels]float32{0.9, 0.05, 0.05})
	}
	if ece := c.Metrics().ECE; ece > 1e-6 {
		t.Errorf("calibrated predictions: ECE = %v, want 0", ece)
	}
	// Confident and always wrong: ECE is the confidence.
	var bad Confusion
	for range 5 {
		bad.Add(model.Cooperative, [model.NumLabels]float32{0.8, 0.1, 0.1})
	}
	if ece := bad.Metrics().ECE; math.Abs(ece-0.8) > 1e-6 {
		t.Errorf("overconfident predictions: ECE = %v, want 0.8", ece)
	}
}

// A label decided by a threshold is scored as answered, its calibration
// by the probability of that label; one without probabilities counts in
// the scores and not in the calibration.
func TestAddDecided(t *testing.T) {
	var c Confusion
	probs := [model.NumLabels]float32{0.4, 0.25, 0.35} // hostile most probable
	c.AddDecided(model.Neutral, model.Neutral, probs)
	c.AddLabel(model.Hostile, model.Neutral)
	m := c.Metrics()
	if m.N != 2 || m.Calibrated != 1 || m.Confuse["neutral"]["neutral"] != 1 {
		t.Fatalf("metrics = %+v", m)
	}
	if math.Abs(m.ECE-0.65) > 1e-6 { // confidence 0.35, right
		t.Errorf("ECE = %v, want 0.65", m.ECE)
	}
	var text strings.Builder
	m.WriteText(&text)
	if !strings.Contains(text.String(), "(over the 1 with probabilities)") {
		t.Errorf("report:\n%s", text.String())
	}
	var odd Confusion // a malformed answer's probabilities count as 0
	odd.AddDecided(model.Hostile, model.Hostile, [model.NumLabels]float32{float32(math.NaN()), 0, 0})
	odd.AddDecided(model.Hostile, model.Cooperative, [model.NumLabels]float32{0, -3, 0})
	if m := odd.Metrics(); m.Calibrated != 2 || math.Abs(m.ECE-0.5) > 1e-6 {
		t.Errorf("malformed probabilities: %+v", m)
	}
	var none Confusion
	none.AddLabel(model.Hostile, model.Hostile)
	text.Reset()
	none.Metrics().WriteText(&text)
	if !strings.Contains(text.String(), "ECE n/a") {
		t.Errorf("report without probabilities:\n%s", text.String())
	}
}

func TestEmpty(t *testing.T) {
	var c Confusion
	if m := c.Metrics(); m.N != 0 || m.Accuracy != 0 {
		t.Errorf("empty metrics = %+v", m)
	}
}
