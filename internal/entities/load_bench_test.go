package entities

import (
	"runtime"
	"testing"

	"github.com/stance/classifierd/internal/entities/data"
)

// BenchmarkDefaultLoad reads the embedded gazetteer as Default does (from
// data/gazetteer.snapshot) and reports the heap it keeps (heap-MB:
// HeapInuse after a GC with the gazetteer live, minus the same before
// loading). BenchmarkDefaultLoad/build loads the table instead, as Load
// does for any other table.
func BenchmarkDefaultLoad(b *testing.B) {
	b.Run("snapshot", func(b *testing.B) {
		benchmarkLoad(b, func() (*Gazetteer, error) { return readSnapshot(data.Snapshot(), data.Table()) })
	})
	b.Run("build", func(b *testing.B) {
		benchmarkLoad(b, func() (*Gazetteer, error) { return Load(data.Gazetteer()) })
	})
}

func benchmarkLoad(b *testing.B, load func() (*Gazetteer, error)) {
	b.ReportAllocs()
	var kept float64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		g, err := load()
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
