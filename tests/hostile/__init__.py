"""The hostile-input corpus (issue 15): one module per category, every case through harness.check."""
