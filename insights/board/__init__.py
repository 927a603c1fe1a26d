"""The board: its data in memory, tables, charts, views and the board pack."""
