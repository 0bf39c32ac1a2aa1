"""Seeded B2B commerce demo dataset: `generator.generate_tables`, cached by `database.demo_database`."""
