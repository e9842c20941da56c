"""Templates and static runtime of the generated packages (package data of oagen)."""
