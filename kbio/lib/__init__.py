"""Plain Python helpers with no Django import: charts, the development-stage ladder, supply
against demand per focus area, the cooperation path after a meeting, and the generator of
demonstration organizations."""
