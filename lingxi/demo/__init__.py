"""Demo data: ``lingxi.demo.generator.load_demo`` creates tenant ``demo``; ``lingxi demo`` runs it."""
