package builder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FindShared locates the shared data folder: $STANCE_SHARED when set, else
// the folder "shared" beside the module root, found by walking up from dir
// to the first go.mod. It reports an error when that folder does not hold
// the lexicon sources.
func FindShared(dir string) (string, error) {
	shared := os.Getenv("STANCE_SHARED")
	if shared == "" {
		root, err := moduleRoot(dir)
		if err != nil {
			return "", err
		}
		shared = filepath.Join(root, "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(shared, filepath.FromSlash(CAMEOPath))); err != nil {
		return "", fmt.Errorf("no lexicon sources in %s: %w", shared, err)
	}
	return shared, nil
}

func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above " + dir)
		}
		dir = parent
	}
}
