package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMarks compiles a small dictionary and checks the M rows that
// ambiguity.go derives: a city Phoenix lists under its state is a place, a
// demonym and a spelling of the name are not, and a name Phoenix also lists
// with a state qualifier needs support.
func TestMarks(t *testing.T) {
	dict := fstest.MapFS{
		countriesFile: {Data: []byte("GEORGIA_  [GEO]\n+GEORGIAN_\n+GEORGIA_(COUNTRY)_\n+TBILISI_\n\n" +
			"UNITED_KINGDOM_  [GBR]\n+UNITED_KINGDOM_OF_GREAT_BRITAIN_\n+GREAT_BRITAIN_\n+BRITISH_\n+LONDON_\n+BRITONS_\n+BRITON_\n")},
		internationalFile: {Data: []byte("")},
		milNonStateFile:   {Data: []byte("")},
		agentsFile:        {Data: []byte("")},
	}
	add := "entity\tGEO\tCOUNTRY\t-\tGeorgia\tGeorgian|Tbilisi\n" +
		"entity\tGBR\tCOUNTRY\t-\tUnited Kingdom\tBritish|Briton|Britons|London|Great Britain\n" +
		"entity\tNATO\tORGANIZATION\t-\tNATO\n" +
		"refer\tthe alliance\tNATO\n"
	gz, err := compile(dict, strings.NewReader(add))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(string(tsv), "\n") {
		if strings.HasPrefix(line, "M\t") || strings.HasPrefix(line, "R\t") {
			got = append(got, line)
		}
	}
	want := []string{"M\tGeorgia\tq", "M\tLondon\tc", "M\tTbilisi\tc", "R\tthe alliance\tNATO"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("marks and refers %q, want %q", got, want)
	}
}
