package version

import (
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/model/embedded"
)

func TestString(t *testing.T) {
	m, err := embedded.Model()
	if err != nil {
		t.Fatal(err)
	}
	s := String("prog")
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "prog ") || !strings.Contains(lines[0], "go1.") ||
		lines[1] != "embedded model "+m.Version() {
		t.Errorf("String = %q", s)
	}
}
