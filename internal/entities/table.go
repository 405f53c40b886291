package entities

import (
	"errors"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// The entity table is kept without pointers. Every collection cycle scans
// what a server keeps alive, and the gazetteer lives as long as the server:
// 18,000 Entity values of three strings each and a map from surnames to
// slices were 1.9 MB that every cycle had to mark. Records of offsets into
// one string are not scanned at all; Find cuts an Entity's strings from that
// string when it returns a mention.

// entityRec is an Entity as offsets into Gazetteer.text.
type entityRec struct {
	id, name, end uint32 // ID is text[id:name], Name is text[name:end]
	country       int32  // the entity whose ID is Country, or -1
	typ           Type
}

// surname is a lower-cased last name (text[start:end]) of people in the
// table. Gazetteer.surnames is sorted by it, one entry per name.
type surname struct {
	start, end uint32
	// entity is the one person whose full name ends in it, or -1 where
	// several do: resolveShortRefs only ever takes a name that picks out one
	// person.
	entity int32
}

// entity returns entity i of the table.
func (g *Gazetteer) entity(i int32) Entity {
	r := &g.ents[i]
	e := Entity{ID: g.text[r.id:r.name], Name: g.text[r.name:r.end], Type: r.typ}
	if r.country >= 0 {
		c := &g.ents[r.country]
		e.Country = g.text[c.id:c.name]
	}
	return e
}

// personBySurname returns the one person of the table whose full name ends
// in the word w, compared case-insensitively, or false if none or several do.
func (g *Gazetteer) personBySurname(w string) (int32, bool) {
	k := strings.ToLower(w)
	i, ok := slices.BinarySearchFunc(g.surnames, k, func(s surname, k string) int {
		return strings.Compare(g.text[s.start:s.end], k)
	})
	if !ok || g.surnames[i].entity < 0 {
		return -1, false
	}
	return g.surnames[i].entity, true
}

// pack stores ents as g.text, g.ents and g.surnames; index maps an entity
// ID to its place in ents, for the Country fields.
func (g *Gazetteer) pack(ents []Entity, index map[string]int32) error {
	type key struct {
		name   string
		entity int32
	}
	keys := make([]key, 0, len(ents))
	var given []string
	size := 0
	for i, e := range ents {
		size += len(e.ID) + len(e.Name)
		if e.Type != TypePerson {
			continue
		}
		if sn := lastWord(e.Name); sn != "" && sn != e.Name {
			keys = append(keys, key{strings.ToLower(sn), int32(i)})
			first, _, _ := strings.Cut(e.Name, " ")
			given = append(given, strings.ToLower(first))
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return strings.Compare(a.name, b.name) })
	slices.Sort(given)
	given = slices.Compact(given)
	names := 0
	for i, k := range keys {
		if i == 0 || k.name != keys[i-1].name {
			size += len(k.name)
			names++
		}
	}
	for _, n := range given {
		size += len(n)
	}
	if uint64(size) > math.MaxUint32 {
		return errors.New("table text over 4 GB")
	}
	var b strings.Builder
	b.Grow(size)
	g.ents = make([]entityRec, len(ents))
	for i, e := range ents {
		r := &g.ents[i]
		r.id = uint32(b.Len())
		b.WriteString(e.ID)
		r.name = uint32(b.Len())
		b.WriteString(e.Name)
		r.end = uint32(b.Len())
		r.typ = e.Type
		r.country = -1
		if e.Country != "" {
			r.country = index[e.Country]
		}
	}
	g.surnames = make([]surname, 0, names)
	for i, k := range keys {
		if i > 0 && k.name == keys[i-1].name {
			g.surnames[len(g.surnames)-1].entity = -1
			continue
		}
		start := uint32(b.Len())
		b.WriteString(k.name)
		g.surnames = append(g.surnames, surname{start: start, end: uint32(b.Len()), entity: k.entity})
	}
	g.given = make([]surname, len(given))
	for i, n := range given {
		start := uint32(b.Len())
		b.WriteString(n)
		g.given[i] = surname{start: start, end: uint32(b.Len()), entity: -1}
	}
	g.text = b.String()
	return nil
}

// isGivenName reports whether w, compared case-insensitively, is the first
// name of some person in the table.
func (g *Gazetteer) isGivenName(w string) bool {
	_, ok := slices.BinarySearchFunc(g.given, w, func(s surname, w string) int {
		return compareFolded(g.text[s.start:s.end], w)
	})
	return ok
}

// compareFolded compares the lower-case key k with w lower-cased, without
// building the lower-cased copy for an ASCII w.
func compareFolded(k, w string) int {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return strings.Compare(k, strings.ToLower(w))
		}
	}
	for i := 0; i < len(k) && i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if k[i] != c {
			return int(k[i]) - int(c)
		}
	}
	return len(k) - len(w)
}
