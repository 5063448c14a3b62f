"""Plain Python helpers with no Django import: scoring, scheduling, vocabularies."""
