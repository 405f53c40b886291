package entities

// Lookup returns the built-in entity with the given ID. It scans the
// table, so it is for the rare lookup (a state named only as an official's
// country), not for every mention.
func (g *Gazetteer) Lookup(id string) (Entity, bool) {
	for i := range g.ents {
		r := &g.ents[i]
		if g.text[r.id:r.name] == id {
			return g.entity(int32(i)), true
		}
	}
	return Entity{}, false
}
