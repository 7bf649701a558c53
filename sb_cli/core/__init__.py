"""The pure core: model, rules and computed facts. Imports no CLI, terminal or git library."""
