package entities

import (
	"runtime"
	"testing"

	"github.com/stance/classifierd/internal/entities/data"
)

// BenchmarkDefaultLoad builds the embedded gazetteer as Default does (the
// tries read from data/gazetteer.tries) and reports the heap it keeps
// (heap-MB: HeapInuse after a GC with the gazetteer live, minus the same
// before loading). BenchmarkDefaultLoad/build builds the tries too, as Load
// does for any other table.
func BenchmarkDefaultLoad(b *testing.B) {
	b.Run("prebuilt", func(b *testing.B) {
		pre, err := parseTries(data.Tries())
		if err != nil {
			b.Fatal(err)
		}
		benchmarkLoad(b, pre)
	})
	b.Run("build", func(b *testing.B) { benchmarkLoad(b, nil) })
}

func benchmarkLoad(b *testing.B, pre prebuiltTries) {
	b.ReportAllocs()
	var kept float64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		g, err := load(data.Gazetteer(), pre)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(g)
		kept = float64(after.HeapInuse-before.HeapInuse) / (1 << 20)
		b.StartTimer()
	}
	b.ReportMetric(kept, "heap-MB")
}
