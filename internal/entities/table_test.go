package entities

import (
	"bufio"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stance/classifierd/internal/entities/data"
)

// TestPackedTable checks the pointer-free table against the entity rows of
// the embedded table read plainly, and the surname index against the map
// of surnames to people that it replaced.
func TestPackedTable(t *testing.T) {
	zr, err := gzip.NewReader(data.Gazetteer())
	if err != nil {
		t.Fatal(err)
	}
	var want []Entity
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if f := strings.Split(sc.Text(), "\t"); f[0] == "E" {
			typ, _ := parseType(f[2])
			want = append(want, Entity{ID: f[1], Type: typ, Country: f[3], Name: f[4]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	g := Default()
	if g.Entities() != len(want) {
		t.Fatalf("Entities() = %d, want %d", g.Entities(), len(want))
	}
	for i, w := range want {
		if diff := cmp.Diff(w, g.entity(int32(i))); diff != "" {
			t.Fatalf("entity %d (-want +got):\n%s", i, diff)
		}
	}
	surnames := map[string][]int32{}
	for i, e := range want {
		if sn := lastWord(e.Name); e.Type == TypePerson && sn != "" && sn != e.Name {
			k := strings.ToLower(sn)
			surnames[k] = append(surnames[k], int32(i))
		}
	}
	if len(g.surnames) != len(surnames) {
		t.Errorf("%d surnames, want %d", len(g.surnames), len(surnames))
	}
	ambiguous := 0
	for k, people := range surnames {
		if len(people) > 1 {
			ambiguous++
		}
		for _, w := range []string{k, strings.ToUpper(k)} {
			if strings.ToLower(w) != k {
				continue // "ı" upper-cases to "I", which lower-cases to "i"
			}
			got, ok := g.personBySurname(w)
			if ok != (len(people) == 1) || ok && got != people[0] {
				t.Errorf("personBySurname(%q) = %d, %v; people %v", w, got, ok, people)
			}
		}
	}
	if ambiguous == 0 {
		t.Error("no surname shared by two people: the test lost its point")
	}
	for _, w := range []string{"", "a", "zzzzzz", "Iran"} {
		if _, ok := surnames[strings.ToLower(w)]; ok {
			continue
		}
		if i, ok := g.personBySurname(w); ok {
			t.Errorf("personBySurname(%q) = %d, want none", w, i)
		}
	}
}

func TestIsGivenName(t *testing.T) {
	g := Default()
	for _, tt := range []struct {
		w    string
		want bool
	}{
		{"George", true}, {"george", true}, {"GEORGE", true}, {"Vladimir", true},
		{"Xqzzy", false}, {"", false}, {"Ébrahim", false},
	} {
		if got := g.isGivenName(tt.w); got != tt.want {
			t.Errorf("isGivenName(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}
