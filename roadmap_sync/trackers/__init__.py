"""Issue trackers: GitHub, and a JSON file for working offline."""
