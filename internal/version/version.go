// Package version says which build of a command is running, and which
// model is embedded in it: what "--version" prints.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/stance/classifierd/internal/model/embedded"
)

// String returns two lines for command prog: its build (module version,
// commit and time when the build recorded them, Go version, platform) and
// the version of the embedded model.
func String(prog string) string {
	var b strings.Builder
	b.WriteString(prog)
	b.WriteString(" ")
	b.WriteString(Build())
	b.WriteString("\nembedded model ")
	if m, err := embedded.Model(); err != nil {
		fmt.Fprintf(&b, "unreadable: %v", err)
	} else {
		b.WriteString(m.Version())
	}
	b.WriteString("\n")
	return b.String()
}

// Build describes the running binary's build: "v1.2.0 (commit 1a2b3c4d5e6f,
// 2026-12-06T10:00:00Z), go1.26.8 linux/amd64". A build from a checkout
// is "(devel)"; the commit is there when the build recorded VCS
// information (go build's default in a git checkout, off with
// -buildvcs=false).
func Build() string {
	version := "(unknown)"
	var details []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		if version == "" {
			version = "(devel)"
		}
		var rev, when string
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			details = append(details, "commit "+rev[:min(len(rev), 12)])
		}
		if when != "" {
			details = append(details, when)
		}
		if modified {
			details = append(details, "with uncommitted changes")
		}
	}
	s := version
	if len(details) > 0 {
		s += " (" + strings.Join(details, ", ") + ")"
	}
	return s + ", " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
