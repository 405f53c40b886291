package main

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestVersionAndStrayArguments(t *testing.T) {
	for _, args := range [][]string{{"-version"}, {"--version"}} {
		if _, err := parseConfig(args, io.Discard); !errors.Is(err, errVersion) {
			t.Errorf("%v: error %v, want errVersion", args, err)
		}
	}
	if _, err := parseConfig([]string{"-addr", "127.0.0.1:0", "stray"}, io.Discard); err == nil || !strings.Contains(err.Error(), `unexpected argument "stray"`) {
		t.Errorf("stray argument: error %v", err)
	}
}
