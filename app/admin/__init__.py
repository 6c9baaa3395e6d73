"""Administration screens: users, focus areas, audit trail. They call the feature services."""
