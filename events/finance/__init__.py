"""No financial commitment of the town without its approval: the events'
expense lines, each partner's decision, and the publish guard."""
